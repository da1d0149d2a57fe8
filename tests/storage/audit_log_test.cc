#include "trafnet/storage/audit_log.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/temp_dir.h"

namespace trafnet::storage {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using trafnet::testing::ReadFile;
using trafnet::testing::TempDir;
using trafnet::testing::WriteFile;

AuditEntry Entry(const std::string& user, const std::string& action, const std::string& id) {
  AuditEntry entry;
  entry.user = user;
  entry.role = "analyst";
  entry.action = action;
  entry.parameters = {{"person", id}, {"depth", "2"}};
  entry.ids = {id};
  entry.justification = "KU-2026-118";
  entry.outcome = "ok";
  return entry;
}

std::vector<std::string> Lines(const std::filesystem::path& path) {
  std::vector<std::string> lines;
  std::istringstream in(ReadFile(path));
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string Join(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  return text;
}

class AuditLogTest : public ::testing::Test {
 protected:
  // A log of `n` records by "ana", actions query.lookup, ids P1..Pn.
  AuditLog Filled(int n) {
    auto log = AuditLog::Open(file_);
    EXPECT_TRUE(log.ok()) << log.status().ToString();
    for (int i = 1; i <= n; ++i) {
      auto seq = log->Append(Entry("ana", "query.lookup", "P" + std::to_string(i)));
      EXPECT_TRUE(seq.ok()) << seq.status().ToString();
    }
    return *log;
  }

  TempDir dir_;
  std::filesystem::path file_ = dir_ / "audit.log";
};

TEST_F(AuditLogTest, AppendsAndReadsBackTheChain) {
  auto log = AuditLog::Open(file_);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  AuditEntry first = Entry("ana", "query.lookup", "MUP-P1");
  first.time = "2026-11-28T19:40:00Z";
  EXPECT_EQ(*log->Append(first), 1u);
  EXPECT_EQ(*log->Append(Entry("ivo", "export", "MUP-P2")), 2u);

  auto records = log->ReadAll();
  ASSERT_TRUE(records.ok()) << records.status().ToString();
  ASSERT_EQ(records->size(), 2u);
  const AuditRecord& one = (*records)[0];
  EXPECT_EQ(one.seq, 1u);
  EXPECT_EQ(one.prev, kAuditGenesisHash);
  EXPECT_EQ(one.entry.time, "2026-11-28T19:40:00Z");
  EXPECT_EQ(one.entry.user, "ana");
  EXPECT_EQ(one.entry.role, "analyst");
  EXPECT_EQ(one.entry.action, "query.lookup");
  EXPECT_THAT(one.entry.parameters,
              ElementsAre(std::pair<std::string, std::string>("person", "MUP-P1"),
                          std::pair<std::string, std::string>("depth", "2")));
  EXPECT_THAT(one.entry.ids, ElementsAre("MUP-P1"));
  EXPECT_EQ(one.entry.justification, "KU-2026-118");
  EXPECT_EQ(one.entry.outcome, "ok");
  EXPECT_EQ(one.hash, AuditHash(1, kAuditGenesisHash, one.entry));
  const AuditRecord& two = (*records)[1];
  EXPECT_EQ(two.seq, 2u);
  EXPECT_EQ(two.prev, one.hash);
  EXPECT_THAT(two.entry.time,
              ::testing::MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z"));
  EXPECT_EQ(Lines(file_).size(), 2u);
}

// The canonical form is a published format (docs/audit.md): an auditor's own script must agree.
TEST_F(AuditLogTest, CanonicalFormAndHashArePinned) {
  AuditEntry entry = Entry("ana", "query.lookup", "MUP-P1");
  entry.ids.push_back("MUP-P2");
  entry.time = "2026-11-28T19:40:00Z";
  EXPECT_EQ(AuditCanonicalForm(1, kAuditGenesisHash, entry),
            "15:trafnet.audit/1,1:1,64:" + std::string(kAuditGenesisHash) +
                ",20:2026-11-28T19:40:00Z,3:ana,7:analyst,12:query.lookup,1:2,6:person,6:MUP-P1,"
                "5:depth,1:2,1:2,6:MUP-P1,6:MUP-P2,11:KU-2026-118,2:ok,");
  // printf '%s' "<the form above>" | sha256sum
  EXPECT_EQ(AuditHash(1, kAuditGenesisHash, entry),
            "0958a1fd01c2ebb8040448fa41e0400f0276fb2b66185b166e0f2f174f751331");
}

TEST_F(AuditLogTest, VerifiesAGoodLogAndReportsItsHead) {
  AuditLog log = Filled(5);
  auto report = log.Verify();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->ok()) << ::testing::PrintToString(report->problems);
  EXPECT_EQ(report->records, 5u);
  EXPECT_EQ(report->head_seq, 5u);
  EXPECT_EQ(report->head_hash, log.ReadAll()->back().hash);
}

TEST_F(AuditLogTest, AnEmptyLogVerifiesWithTheGenesisHead) {
  auto log = AuditLog::Open(file_);
  ASSERT_TRUE(log.ok());
  auto report = log->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok());
  EXPECT_EQ(report->records, 0u);
  EXPECT_EQ(report->head_hash, kAuditGenesisHash);
}

TEST_F(AuditLogTest, AnAlteredFieldIsReportedAtItsLineOnly) {
  AuditLog log = Filled(5);
  std::vector<std::string> lines = Lines(file_);
  size_t at = lines[2].find(R"("user":"ana")");
  ASSERT_NE(at, std::string::npos);
  lines[2].replace(at, 12, R"("user":"eve")");
  WriteFile(file_, Join(lines));

  auto report = log.Verify();
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->problems.size(), 1u) << ::testing::PrintToString(report->problems);
  EXPECT_THAT(report->problems[0], HasSubstr("line 3 (seq 3)"));
  EXPECT_THAT(report->problems[0], HasSubstr("altered"));
  EXPECT_EQ(report->records, 5u);
}

// Whoever alters a record and recomputes its hash breaks the link from the next record instead.
TEST_F(AuditLogTest, AnAlteredRecordWithARecomputedHashBreaksTheNextLink) {
  AuditLog log = Filled(5);
  auto records = log.ReadAll();
  ASSERT_TRUE(records.ok());
  AuditRecord forged = (*records)[2];
  forged.entry.ids = {"SOMEONE-ELSE"};
  forged.hash = AuditHash(forged.seq, forged.prev, forged.entry);
  std::vector<std::string> lines = Lines(file_);
  lines[2] = AuditRecordToJson(forged);
  WriteFile(file_, Join(lines));

  auto report = log.Verify();
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->problems.size(), 1u) << ::testing::PrintToString(report->problems);
  EXPECT_THAT(report->problems[0], HasSubstr("line 4 (seq 4): prev is not the hash"));
}

TEST_F(AuditLogTest, ADeletedMiddleLineIsReportedWhereItWas) {
  AuditLog log = Filled(5);
  std::vector<std::string> lines = Lines(file_);
  lines.erase(lines.begin() + 2);
  WriteFile(file_, Join(lines));

  auto report = log.Verify();
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->problems.size(), 1u) << ::testing::PrintToString(report->problems);
  EXPECT_THAT(report->problems[0], HasSubstr("line 3 (seq 4): seq 4 where 3 was expected"));
  EXPECT_THAT(report->problems[0], HasSubstr("removed, inserted or moved"));
  EXPECT_EQ(report->records, 4u);
  EXPECT_EQ(report->head_seq, 5u);
}

TEST_F(AuditLogTest, SwappedLinesAreReported) {
  AuditLog log = Filled(5);
  std::vector<std::string> lines = Lines(file_);
  std::swap(lines[1], lines[2]);
  WriteFile(file_, Join(lines));

  auto report = log.Verify();
  ASSERT_TRUE(report.ok());
  ASSERT_FALSE(report->ok());
  EXPECT_THAT(report->problems[0], HasSubstr("line 2 (seq 3)"));
  for (const auto& problem : report->problems) EXPECT_THAT(problem, Not(HasSubstr("altered")));
}

TEST_F(AuditLogTest, AnUnparsableLineIsReportedAndStopsAppends) {
  AuditLog log = Filled(3);
  std::vector<std::string> lines = Lines(file_);
  lines[2] = "{\"seq\":3,";
  WriteFile(file_, Join(lines));

  auto report = log.Verify();
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->problems.size(), 1u) << ::testing::PrintToString(report->problems);
  EXPECT_THAT(report->problems[0], HasSubstr("line 3: does not parse"));
  EXPECT_EQ(log.ReadAll().status().code(), StatusCode::kCorruption);
  auto appended = log.Append(Entry("ana", "query.lookup", "P4"));
  EXPECT_EQ(appended.status().code(), StatusCode::kCorruption);
  EXPECT_EQ(Lines(file_).size(), 3u);
}

TEST_F(AuditLogTest, AFieldTheHashDoesNotCoverIsRejected) {
  AuditLog log = Filled(2);
  std::vector<std::string> lines = Lines(file_);
  lines[1].insert(1, R"("note":"added later",)");
  WriteFile(file_, Join(lines));
  auto report = log.Verify();
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->problems.size(), 1u);
  EXPECT_THAT(report->problems[0], HasSubstr("unexpected field \"note\""));
}

// A crash in the middle of write(2) leaves a prefix of a line: reported, then set aside by the
// next append, which loses no complete record.
TEST_F(AuditLogTest, AnIncompleteLastLineIsReportedThenSetAsideByTheNextAppend) {
  AuditLog log = Filled(3);
  std::string complete = ReadFile(file_);
  std::string fragment = R"({"seq":4,"time":"2026-11-28T19:4)";
  WriteFile(file_, complete + fragment);

  auto report = log.Verify();
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->problems.size(), 1u) << ::testing::PrintToString(report->problems);
  EXPECT_THAT(report->problems[0], HasSubstr("line 4: incomplete last line"));
  EXPECT_EQ(report->records, 3u);
  ASSERT_TRUE(log.ReadAll().ok());
  EXPECT_EQ(log.ReadAll()->size(), 3u);

  auto seq = log.Append(Entry("ivo", "export", "P9"));
  ASSERT_TRUE(seq.ok()) << seq.status().ToString();
  EXPECT_EQ(*seq, 4u);
  EXPECT_EQ(ReadFile(file_).substr(0, complete.size()), complete);
  EXPECT_THAT(ReadFile(file_.string() + ".torn"), HasSubstr(fragment + "\n"));
  report = log.Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << ::testing::PrintToString(report->problems);
  EXPECT_EQ(report->records, 4u);
}

TEST_F(AuditLogTest, ACrashDuringTheFirstAppendLeavesALogThatStartsAfresh) {
  auto log = AuditLog::Open(file_);
  ASSERT_TRUE(log.ok());
  WriteFile(file_, R"({"seq":1,"ti)");
  auto seq = log->Append(Entry("ana", "ingest", "P1"));
  ASSERT_TRUE(seq.ok()) << seq.status().ToString();
  EXPECT_EQ(*seq, 1u);
  EXPECT_TRUE(log->Verify()->ok());
}

// The chain cannot see its own last records removed; the head an auditor noted can.
TEST_F(AuditLogTest, AnExpectedHeadDetectsRecordsCutFromTheEnd) {
  AuditLog log = Filled(5);
  auto full = log.Verify();
  ASSERT_TRUE(full.ok());
  std::string head = full->head_hash;
  std::string third = log.ReadAll()->at(2).hash;

  auto since_third = log.Verify(third);
  ASSERT_TRUE(since_third.ok());
  EXPECT_TRUE(since_third->ok());
  EXPECT_EQ(since_third->expected_head_seq, 3u);

  std::vector<std::string> lines = Lines(file_);
  lines.resize(3);
  WriteFile(file_, Join(lines));
  auto cut = log.Verify();
  ASSERT_TRUE(cut.ok());
  EXPECT_TRUE(cut->ok()) << "a shorter chain is still a valid chain";
  auto checked = log.Verify(head);
  ASSERT_TRUE(checked.ok());
  ASSERT_EQ(checked->problems.size(), 1u);
  EXPECT_THAT(checked->problems[0], HasSubstr("expected head"));
  EXPECT_THAT(checked->problems[0], HasSubstr("removed from the end"));
  EXPECT_EQ(log.Verify("not-a-hash").status().code(), StatusCode::kInvalidArgument);
}

TEST_F(AuditLogTest, ConcurrentAppendersFromThreadsAndAProcessKeepOneChain) {
  ASSERT_TRUE(AuditLog::Open(file_).ok());
  constexpr int kThreads = 4;
  constexpr int kEach = 40;
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto log = AuditLog::Open(file_);
    bool ok = log.ok();
    for (int i = 0; ok && i < kEach; ++i) {
      ok = log->Append(Entry("child", "query.lookup", std::to_string(i))).ok();
    }
    ::_exit(ok ? 0 : 1);
  }
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this, t] {
      auto log = AuditLog::Open(file_);
      ASSERT_TRUE(log.ok());
      for (int i = 0; i < kEach; ++i) {
        auto seq =
            log->Append(Entry("thread" + std::to_string(t), "query.lookup", std::to_string(i)));
        ASSERT_TRUE(seq.ok()) << seq.status().ToString();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);

  auto log = AuditLog::Open(file_);
  ASSERT_TRUE(log.ok());
  auto report = log->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << ::testing::PrintToString(report->problems);
  EXPECT_EQ(report->records, static_cast<uint64_t>((kThreads + 1) * kEach));
  std::set<std::pair<std::string, std::string>> seen;
  auto records = log->ReadAll();
  ASSERT_TRUE(records.ok());
  for (const auto& record : *records) seen.emplace(record.entry.user, record.entry.ids[0]);
  EXPECT_EQ(seen.size(), static_cast<size_t>((kThreads + 1) * kEach));
}

TEST_F(AuditLogTest, CreatesTheFileReadableByItsOwnerOnly) {
  mode_t old_mask = ::umask(0);
  auto log = AuditLog::Open(file_);
  ::umask(old_mask);
  ASSERT_TRUE(log.ok());
  struct stat st;
  ASSERT_EQ(::stat(file_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(AuditLogTest, OpenNeedsTheFolderAndKeepsAnExistingLog) {
  EXPECT_EQ(AuditLog::Open(dir_ / "missing" / "audit.log").status().code(), StatusCode::kNotFound);
  Filled(2);
  auto reopened = AuditLog::Open(file_);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(*reopened->Append(Entry("ana", "analyze", "P3")), 3u);
}

TEST_F(AuditLogTest, AVanishedLogIsNotSilentlyRestarted) {
  AuditLog log = Filled(2);
  std::filesystem::remove(file_);
  EXPECT_FALSE(log.Append(Entry("ana", "analyze", "P3")).ok());
  EXPECT_FALSE(std::filesystem::exists(file_));
  EXPECT_EQ(log.ReadAll().status().code(), StatusCode::kNotFound);
}

TEST_F(AuditLogTest, AppendChecksTheEntryAndStoresWhatItHashed) {
  auto log = AuditLog::Open(file_);
  ASSERT_TRUE(log.ok());
  AuditEntry no_user = Entry("", "export", "P1");
  EXPECT_EQ(log->Append(no_user).status().code(), StatusCode::kInvalidArgument);
  AuditEntry no_action = Entry("ana", "", "P1");
  EXPECT_EQ(log->Append(no_action).status().code(), StatusCode::kInvalidArgument);
  AuditEntry bad_time = Entry("ana", "export", "P1");
  bad_time.time = "28.11.2026 19:40";
  EXPECT_EQ(log->Append(bad_time).status().code(), StatusCode::kInvalidArgument);

  AuditEntry odd = Entry("ana", "export", "P1");
  odd.parameters.emplace_back("term", std::string("Mari\xff\n\"a\""));
  odd.ids.push_back("\xc5\xa0ime");  // Šime
  ASSERT_TRUE(log->Append(odd).ok());
  auto records = log->ReadAll();
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 1u);
  EXPECT_EQ(records->at(0).entry.parameters.back().second, "Mari\xef\xbf\xbd\n\"a\"");
  EXPECT_EQ(records->at(0).entry.ids.back(), "\xc5\xa0ime");
  EXPECT_EQ(Lines(file_).size(), 1u);
  EXPECT_TRUE(log->Verify()->ok());
}

}  // namespace
}  // namespace trafnet::storage
