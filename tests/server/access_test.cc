// Tokens, users files and roles.
#include "trafnet/server/access.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "support/temp_dir.h"

namespace trafnet::server {
namespace {

using ::testing::HasSubstr;
using trafnet::testing::TempDir;
using trafnet::testing::WriteFile;

mode_t Mode(const std::filesystem::path& file) {
  struct stat info {};
  EXPECT_EQ(::stat(file.c_str(), &info), 0);
  return info.st_mode & 0777;
}

TEST(AccessTest, ATokenFileIsCreatedPrivateAndReadBack) {
  TempDir dir;
  auto created = ReadOrCreateTokenFile(dir / "token");
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->size(), 64u);
  EXPECT_EQ(Mode(dir / "token"), 0600u);
  auto again = ReadOrCreateTokenFile(dir / "token");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *created);
  auto other = NewToken();
  ASSERT_TRUE(other.ok());
  EXPECT_NE(*other, *created);
}

TEST(AccessTest, ATokenFileOthersCanReadIsRefused) {
  TempDir dir;
  WriteFile(dir / "token", std::string(64, 'a') + "\n");
  ::chmod((dir / "token").c_str(), 0644);
  auto read = ReadOrCreateTokenFile(dir / "token");
  ASSERT_FALSE(read.ok());
  EXPECT_THAT(read.status().message(), HasSubstr("chmod 600"));
  ::chmod((dir / "token").c_str(), 0600);
  EXPECT_TRUE(ReadOrCreateTokenFile(dir / "token").ok());
  WriteFile(dir / "short", "secret\n");
  ::chmod((dir / "short").c_str(), 0600);
  EXPECT_FALSE(ReadOrCreateTokenFile(dir / "short").ok());
}

TEST(AccessTest, UsersAuthenticateByTheirOwnTokenOnly) {
  TempDir dir;
  auto ana = AddUser(dir / "users", "ana", Role::kInvestigator);
  auto ivo = AddUser(dir / "users", "ivo", Role::kAuditor);
  ASSERT_TRUE(ana.ok() && ivo.ok());
  EXPECT_EQ(Mode(dir / "users"), 0600u);
  auto list = AccessList::LoadUsersFile(dir / "users");
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  EXPECT_EQ(list->size(), 2u);
  auto who = list->Authenticate(*ivo);
  ASSERT_TRUE(who.has_value());
  EXPECT_EQ(who->user, "ivo");
  EXPECT_EQ(who->role, Role::kAuditor);
  EXPECT_EQ(list->Authenticate(*ana)->user, "ana");
  EXPECT_FALSE(list->Authenticate("").has_value());
  EXPECT_FALSE(list->Authenticate(ana->substr(1)).has_value());
  // The file holds hashes, not tokens.
  std::ifstream in(dir / "users");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_THAT(text, ::testing::Not(HasSubstr(*ana)));
  auto twice = AddUser(dir / "users", "ana", Role::kAdmin);
  EXPECT_FALSE(twice.ok());
}

TEST(AccessTest, ABadUsersFileNamesTheLine) {
  TempDir dir;
  WriteFile(dir / "users", "# staff\nana investigator sha256:" + std::string(64, '0') +
                               "\nivo chief sha256:" + std::string(64, '1') + "\n");
  ::chmod((dir / "users").c_str(), 0600);
  auto list = AccessList::LoadUsersFile(dir / "users");
  ASSERT_FALSE(list.ok());
  EXPECT_THAT(list.status().message(), HasSubstr("line 3"));
  EXPECT_THAT(list.status().message(), HasSubstr("chief"));
}

TEST(AccessTest, RolesGrantWhatTheDocsSay) {
  EXPECT_TRUE(MayQuery(Role::kInvestigator) && SeesVictims(Role::kInvestigator) &&
              !MayReadAudit(Role::kInvestigator));
  EXPECT_TRUE(MayQuery(Role::kAnalyst) && !SeesVictims(Role::kAnalyst) &&
              !MayReadAudit(Role::kAnalyst));
  EXPECT_TRUE(!MayQuery(Role::kAuditor) && !SeesVictims(Role::kAuditor) &&
              MayReadAudit(Role::kAuditor));
  EXPECT_TRUE(MayQuery(Role::kAdmin) && SeesVictims(Role::kAdmin) && MayReadAudit(Role::kAdmin));
  for (Role role : {Role::kInvestigator, Role::kAnalyst, Role::kAuditor, Role::kAdmin})
    EXPECT_EQ(*ParseRole(RoleName(role)), role);
  EXPECT_FALSE(ParseRole("root").ok());
}

}  // namespace
}  // namespace trafnet::server
