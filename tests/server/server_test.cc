// `trafnet serve` over real HTTP on loopback: tokens and roles, the Host check, status codes and
// limits, victims masked, every access audited, and answers while an ingest writes.
#include "trafnet/server/server.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "support/run_trafnet.h"
#include "support/temp_dir.h"
#include "trafnet/engine/store_policy.h"
#include "trafnet/storage/audit_log.h"

namespace trafnet::server {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using trafnet::testing::Quote;
using trafnet::testing::RunTrafnet;
using trafnet::testing::TempDir;
using trafnet::testing::WriteFile;
using Json = nlohmann::json;

// MUP-P1 and BIA-7 share a phone written three ways; MUP-P3 is a victim; a name that would be
// markup in a page.
void WriteWorld(const std::filesystem::path& dir) {
  WriteFile(dir / "persons.csv",
            "id,name,birth_date,gender,nationality,status,source\n"
            "MUP-P1,Ђорђе Јовановић,1988-04-12,M,RS,suspect,MUP-RS\n"
            "BIA-7,Đorđe Jovanović,1988-04-12,M,RS,,BIA\n"
            "MUP-P2,Ana Anić,2005-02-01,F,RS,,MUP-RS\n"
            "MUP-P3,Jelena Petrović,2004-11-30,F,BA,victim,MUP-RS\n"
            "MUP-P4,\"<img src=x onerror=alert(1)>\",,M,,,MUP-RS\n");
  WriteFile(dir / "links.csv",
            "from,to,type,start,end,count,source\n"
            "person:MUP-P1,phone:064/123-4567,USES,2024-01-01,2024-06-30,1,MUP-RS\n"
            "person:BIA-7,phone:+381 64 1234567,USES,,,1,BIA\n"
            "person:MUP-P2,phone:0641234567,USES,2024-03-01,2024-03-20,1,MUP-RS\n"
            "person:MUP-P3,person:MUP-P2,KNOWS,2024-03-02,,1,MUP-RS\n"
            "person:MUP-P4,person:MUP-P3,KNOWS,,,1,MUP-RS\n");
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteWorld(dir_ / "world");
    auto ingest = RunTrafnet("ingest --quiet --db " + Quote(db()) + " --report-dir " +
                             Quote(dir_ / "reports") + " " + Quote(dir_ / "world"));
    ASSERT_EQ(ingest.exit_code, 0) << ingest.output;
    for (Role role : {Role::kInvestigator, Role::kAnalyst, Role::kAuditor, Role::kAdmin}) {
      auto token = AddUser(dir_ / "users", std::string(RoleName(role)) + "-user", role);
      ASSERT_TRUE(token.ok()) << token.status().ToString();
      tokens_[role] = *token;
    }
  }

  void StartServer(ServerOptions options = {}) {
    options.db = db();
    options.port = 0;
    options.catch_up_interval = std::chrono::milliseconds(100);
    auto access = AccessList::LoadUsersFile(dir_ / "users");
    ASSERT_TRUE(access.ok()) << access.status().ToString();
    options.access = std::make_shared<AccessList>(std::move(*access));
    auto server = Server::Start(std::move(options));
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(*server);
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
  }

  std::filesystem::path db() const { return dir_ / "db"; }

  httplib::Headers As(Role role, const std::string& case_number = "") {
    httplib::Headers headers{{"Authorization", "Bearer " + tokens_[role]}};
    if (!case_number.empty()) headers.emplace("X-Trafnet-Case", case_number);
    return headers;
  }

  // GET as `role`; fails the test when no response came.
  httplib::Result Get(const std::string& path, Role role = Role::kInvestigator,
                      const std::string& case_number = "") {
    httplib::Result result = client_->Get(path, As(role, case_number));
    EXPECT_TRUE(result) << path << ": no response";
    return result;
  }

  storage::AuditRecord LastAuditRecord() {
    auto log = storage::AuditLog::Open(storage::AuditLogPath(db()));
    EXPECT_TRUE(log.ok());
    auto records = log->ReadAll();
    EXPECT_TRUE(records.ok() && !records->empty());
    return records->back();
  }

  TempDir dir_;
  std::map<Role, std::string> tokens_;
  std::unique_ptr<Server> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(ServerTest, ServesThePageWithAStrictPolicyAndNoCors) {
  StartServer();
  auto page = client_->Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_THAT(page->get_header_value("Content-Type"), HasSubstr("text/html"));
  EXPECT_THAT(page->get_header_value("Content-Security-Policy"), HasSubstr("default-src 'none'"));
  EXPECT_THAT(page->get_header_value("Content-Security-Policy"), HasSubstr("script-src 'self'"));
  EXPECT_EQ(page->get_header_value("X-Frame-Options"), "DENY");
  EXPECT_EQ(page->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_FALSE(page->has_header("Access-Control-Allow-Origin"));
  auto cytoscape = client_->Get("/assets/cytoscape.min.js");
  ASSERT_TRUE(cytoscape);
  EXPECT_EQ(cytoscape->status, 200);
  EXPECT_THAT(cytoscape->get_header_value("Content-Type"), HasSubstr("javascript"));
  EXPECT_GT(cytoscape->body.size(), 100000u);
  auto missing = client_->Get("/assets/nothing.js");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
}

TEST_F(ServerTest, TheApiNeedsAValidToken) {
  StartServer();
  auto none = client_->Get("/api/lookup?id=person:MUP-P1");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 401);
  EXPECT_THAT(none->body, HasSubstr("token"));
  auto wrong = client_->Get("/api/lookup?id=person:MUP-P1",
                            httplib::Headers{{"Authorization", "Bearer " + std::string(64, 'a')}});
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401);
  auto basic = client_->Get("/api/me",
                            httplib::Headers{{"Authorization", "Basic " + tokens_[Role::kAdmin]}});
  ASSERT_TRUE(basic);
  EXPECT_EQ(basic->status, 401);
  auto me = Get("/api/me", Role::kAnalyst);
  EXPECT_EQ(me->status, 200);
  EXPECT_EQ(Json::parse(me->body)["role"], "analyst");
  EXPECT_EQ(Json::parse(me->body)["user"], "analyst-user");
}

TEST_F(ServerTest, RefusesAForeignHostOrOrigin) {
  StartServer();
  httplib::Headers rebinding = As(Role::kInvestigator);
  rebinding.emplace("Host", "attacker.example:" + std::to_string(server_->port()));
  auto foreign = client_->Get("/api/me", rebinding);
  ASSERT_TRUE(foreign);
  EXPECT_EQ(foreign->status, 403);
  auto page = client_->Get("/", httplib::Headers{{"Host", "attacker.example"}});
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 403);

  httplib::Headers cross = As(Role::kInvestigator);
  cross.emplace("Origin", "http://attacker.example");
  auto cross_site = client_->Get("/api/me", cross);
  ASSERT_TRUE(cross_site);
  EXPECT_EQ(cross_site->status, 403);
  httplib::Headers same = As(Role::kInvestigator);
  same.emplace("Origin", "http://127.0.0.1:" + std::to_string(server_->port()));
  auto same_site = client_->Get("/api/me", same);
  ASSERT_TRUE(same_site);
  EXPECT_EQ(same_site->status, 200);
}

TEST_F(ServerTest, LookupFindsAPhoneWrittenAnyWay) {
  StartServer();
  for (const char* written : {"%2B381%2064%201234567", "064%2F123-4567", "00381641234567"}) {
    auto found = Get(std::string("/api/lookup?phone=") + written);
    ASSERT_EQ(found->status, 200) << found->body;
    const Json matches = Json::parse(found->body);
    ASSERT_EQ(matches.size(), 1u) << written;
    EXPECT_EQ(matches[0]["id"], "+381641234567");
  }
}

TEST_F(ServerTest, AnswersTheQueriesWithTheCliJson) {
  StartServer();
  auto neighbourhood = Get("/api/neighbourhood?id=phone:0641234567&hops=1");
  ASSERT_EQ(neighbourhood->status, 200) << neighbourhood->body;
  const Json graph = Json::parse(neighbourhood->body);
  EXPECT_EQ(graph["nodes"].size(), 4u);  // the phone and its three users
  EXPECT_EQ(graph["links"].size(), 3u);

  auto path = Get("/api/path?from=person:MUP-P1&to=person:MUP-P4");
  ASSERT_EQ(path->status, 200) << path->body;
  EXPECT_EQ(
      Json::parse(path->body)["paths"][0],
      Json::parse(
          R"(["person:MUP-P1","phone:+381641234567","person:MUP-P2","person:MUP-P3","person:MUP-P4"])"));

  auto shared = Get("/api/shared?ids=person:MUP-P1,person:BIA-7");
  ASSERT_EQ(shared->status, 200) << shared->body;
  EXPECT_THAT(shared->body, HasSubstr("+381641234567"));

  auto timeline = Get("/api/timeline?id=person:MUP-P1");
  ASSERT_EQ(timeline->status, 200) << timeline->body;
  EXPECT_THAT(timeline->body, HasSubstr("2024-01-01"));

  // The CLI prints the same bytes for the same query.
  auto cli =
      RunTrafnet("query neighbourhood --json --db " + Quote(db()) + " --id phone:0641234567");
  EXPECT_EQ(cli.output, neighbourhood->body);
}

TEST_F(ServerTest, BadRequestsGetAStatusAndAMessageNeverACrash) {
  StartServer();
  const std::vector<std::pair<std::string, int>> cases = {
      {"/api/neighbourhood?id=person:MUP-P1&hops=9", 400},
      {"/api/neighbourhood?id=person:MUP-P1&hops=two", 400},
      {"/api/neighbourhood?id=person:MUP-P1&color=red", 400},
      {"/api/neighbourhood?id=person:MUP-P1&id=person:MUP-P2", 400},
      {"/api/neighbourhood?id=person:MUP-P1&since=March", 400},
      {"/api/neighbourhood", 400},
      {"/api/neighbourhood?id=person:NOBODY", 404},
      {"/api/lookup?phone=not-a-number", 400},
      {"/api/lookup?phone=064&name=Ana", 400},
      {"/api/path?from=person:MUP-P1", 400},
      {"/api/shared?ids=person:MUP-P1", 400},
      {"/api/nothing", 404},
      {"/api/neighbourhood?id=%ff%fe", 404},
  };
  for (const auto& [path, status] : cases) {
    auto result = Get(path);
    ASSERT_TRUE(result) << path;
    EXPECT_EQ(result->status, status) << path << ": " << result->body;
    EXPECT_TRUE(Json::parse(result->body, nullptr, false).contains("error"))
        << path << ": " << result->body;
  }
  auto post =
      client_->Post("/api/lookup?id=person:MUP-P1", As(Role::kInvestigator), "x", "text/plain");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 405);
  auto big = client_->Post(
      "/api/lookup", As(Role::kInvestigator),
      std::string(64 << 10, 'x') /* over the 16 KiB limit, small enough to be sent whole */,
      "text/plain");
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 413);
  auto long_uri = Get("/api/lookup?name=" + std::string(20000, 'a'));
  ASSERT_TRUE(long_uri);
  EXPECT_EQ(long_uri->status, 414);
  EXPECT_EQ(Get("/api/me")->status, 200);  // still answering
}

TEST_F(ServerTest, VictimsAreMaskedForRolesThatMayNotSeeThem) {
  StartServer();
  auto investigator = Get("/api/neighbourhood?id=person:MUP-P2", Role::kInvestigator);
  ASSERT_EQ(investigator->status, 200);
  EXPECT_THAT(investigator->body, HasSubstr("Jelena Petrović"));

  auto analyst = Get("/api/neighbourhood?id=person:MUP-P2", Role::kAnalyst);
  ASSERT_EQ(analyst->status, 200);
  EXPECT_THAT(analyst->body, Not(HasSubstr("Jelena")));
  EXPECT_THAT(analyst->body, Not(HasSubstr("2004-11-30")));
  bool masked = false;
  const Json graph = Json::parse(analyst->body);
  for (const Json& node : graph["nodes"]) {
    if (node["ref"] == "person:MUP-P3") {
      masked = node.value("masked", false);
      EXPECT_EQ(node["attributes"], Json::parse(R"({"status":"victim"})"));
      EXPECT_TRUE(node["sources"].empty());
    }
  }
  EXPECT_TRUE(masked) << analyst->body;
  // A search by name must not confirm that a victim of that name is known.
  auto by_name = Get("/api/lookup?name=Jelena%20Petrovi%C4%87", Role::kAnalyst);
  ASSERT_EQ(by_name->status, 200);
  EXPECT_EQ(Json::parse(by_name->body).size(), 0u) << by_name->body;
  auto seen = Get("/api/lookup?name=Jelena%20Petrovi%C4%87", Role::kInvestigator);
  EXPECT_EQ(Json::parse(seen->body).size(), 1u);
  for (const char* path :
       {"/api/timeline?id=person:MUP-P2", "/api/path?from=person:MUP-P2&to=person:MUP-P4",
        "/api/lookup?id=person:MUP-P3", "/api/shared?ids=person:MUP-P2,person:MUP-P4"}) {
    auto answer = Get(path, Role::kAnalyst);
    ASSERT_EQ(answer->status, 200) << path;
    EXPECT_THAT(answer->body, Not(HasSubstr("Jelena"))) << path;
  }
  // What MUP-P2 and MUP-P4 share is the victim they both know: named to the investigator only.
  auto shared = Get("/api/shared?ids=person:MUP-P2,person:MUP-P4", Role::kInvestigator);
  ASSERT_EQ(shared->status, 200);
  EXPECT_THAT(shared->body, HasSubstr("Jelena Petrović"));
  EXPECT_THAT(Get("/api/shared?ids=person:MUP-P2,person:MUP-P4", Role::kAnalyst)->body,
              HasSubstr("person:MUP-P3"));
}

TEST_F(ServerTest, AuditorsReadTheTrailButRunNoQueries) {
  StartServer();
  auto query = Get("/api/lookup?id=person:MUP-P1", Role::kAuditor);
  EXPECT_EQ(query->status, 403);
  EXPECT_EQ(LastAuditRecord().entry.outcome.rfind("refused", 0), 0u);
  auto trail = Get("/api/audit?verify=1", Role::kAuditor);
  ASSERT_EQ(trail->status, 200) << trail->body;
  const Json audit = Json::parse(trail->body);
  EXPECT_TRUE(audit["verify"]["ok"].get<bool>());
  EXPECT_EQ(audit["records"].back()["action"], "query.lookup");
  EXPECT_EQ(Get("/api/audit", Role::kInvestigator)->status, 403);
  EXPECT_EQ(Get("/api/audit", Role::kAdmin)->status, 200);
}

TEST_F(ServerTest, EveryQueryIsRecordedWithWhoWhyAndWhatItDisclosed) {
  StartServer();
  auto answer =
      Get("/api/neighbourhood?id=person:MUP-P1&hops=1", Role::kInvestigator, "KU-2026-118");
  ASSERT_EQ(answer->status, 200);
  storage::AuditRecord record = LastAuditRecord();
  EXPECT_EQ(record.entry.user, "investigator-user");
  EXPECT_EQ(record.entry.role, "investigator");
  EXPECT_EQ(record.entry.action, "query.neighbourhood");
  EXPECT_EQ(record.entry.justification, "KU-2026-118");
  EXPECT_EQ(record.entry.outcome, "ok");
  EXPECT_THAT(record.entry.ids, ::testing::ElementsAre("person:MUP-P1", "phone:+381641234567"));
  EXPECT_THAT(record.entry.parameters,
              ::testing::Contains(std::make_pair(std::string("id"), std::string("person:MUP-P1"))));
  auto failed = Get("/api/timeline?id=person:NOBODY");
  EXPECT_EQ(failed->status, 404);
  EXPECT_THAT(LastAuditRecord().entry.outcome, HasSubstr("error: "));
  auto log = storage::AuditLog::Open(storage::AuditLogPath(db()));
  ASSERT_TRUE(log.ok());
  auto verified = log->Verify();
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->ok());
  EXPECT_EQ(verified->records, 4u);  // the ingest's start and outcome, then the two queries
}

// A client that sends half a request and then nothing is cut off after the read time limit,
// and the server goes on answering others.
TEST_F(ServerTest, ASlowClientIsCutOffAfterTheTimeLimit) {
  ServerOptions options;
  options.timeout_seconds = 1;
  StartServer(options);
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(server_->port()));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  const std::string partial =
      "GET /api/me HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(server_->port()) + "\r\n";
  ASSERT_EQ(::send(fd, partial.data(), partial.size(), 0), static_cast<ssize_t>(partial.size()));
  // Our own patience: well past the server's 1 s, so that a server without a limit fails here.
  timeval patience{.tv_sec = 8, .tv_usec = 0};
  ASSERT_EQ(::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &patience, sizeof(patience)), 0);
  char byte = 0;
  ssize_t got = 0;
  do {
    got = ::recv(fd, &byte, 1, 0);
  } while (got > 0);  // whatever it sends (nothing, or a 408) ends in the connection closing
  EXPECT_EQ(got, 0) << "the connection was not closed by the server (errno " << errno << ")";
  ::close(fd);
  EXPECT_EQ(Get("/api/me")->status, 200);
}

// The page's exports are built in the browser; it records each one first, and only a recorded
// export goes ahead.
TEST_F(ServerTest, ExportsFromThePageAreRecordedBeforeTheyAreMade) {
  StartServer();
  auto post = [&](const std::string& body, Role role = Role::kInvestigator,
                  const std::string& case_number = "KU-2026-118") {
    httplib::Result result =
        client_->Post("/api/export", As(role, case_number), body, "application/json");
    EXPECT_TRUE(result) << "no response";
    return result;
  };
  auto made =
      post(R"({"format":"graphml","refs":["person:MUP-P1","phone:+381641234567"],"links":1})");
  ASSERT_EQ(made->status, 200) << made->body;
  EXPECT_TRUE(Json::parse(made->body)["recorded"].get<bool>());
  storage::AuditRecord record = LastAuditRecord();
  EXPECT_EQ(record.entry.action, "export");
  EXPECT_EQ(record.entry.user, "investigator-user");
  EXPECT_EQ(record.entry.justification, "KU-2026-118");
  EXPECT_EQ(record.entry.outcome, "ok");
  EXPECT_THAT(record.entry.ids, ::testing::ElementsAre("person:MUP-P1", "phone:+381641234567"));
  EXPECT_THAT(
      record.entry.parameters,
      ::testing::IsSupersetOf({std::make_pair(std::string("format"), std::string("graphml")),
                               std::make_pair(std::string("nodes"), std::string("2")),
                               std::make_pair(std::string("links"), std::string("1"))}));

  // Refused or malformed: an answer that is not 200, and a record that says so with no ids.
  const std::vector<std::tuple<std::string, Role, int>> bad = {
      {R"({"format":"pdf","refs":["person:MUP-P1"]})", Role::kInvestigator, 400},
      {R"({"format":"png","refs":[]})", Role::kInvestigator, 400},
      {R"({"format":"png","refs":[7]})", Role::kInvestigator, 400},
      {R"({"format":"png","refs":["person:MUP-P1"],"links":-1})", Role::kInvestigator, 400},
      {R"({"format":"png","refs":["person:MUP-P1"],"extra":1})", Role::kInvestigator, 400},
      {"not json", Role::kInvestigator, 400},
      {R"({"format":"png","refs":["person:MUP-P1"]})", Role::kAuditor, 403},
  };
  for (const auto& [body, role, status] : bad) {
    auto refused = post(body, role);
    EXPECT_EQ(refused->status, status) << body << ": " << refused->body;
    EXPECT_TRUE(Json::parse(refused->body, nullptr, false).contains("error")) << refused->body;
    const storage::AuditRecord last = LastAuditRecord();
    EXPECT_EQ(last.entry.action, "export");
    EXPECT_NE(last.entry.outcome, "ok") << body;
    EXPECT_TRUE(last.entry.ids.empty()) << body;
  }
  // No token: 401 and nothing to record against; GET is not how an export is recorded.
  auto anonymous = client_->Post("/api/export", R"({"format":"png","refs":["person:MUP-P1"]})",
                                 "application/json");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
  EXPECT_EQ(Get("/api/export")->status, 405);
  EXPECT_EQ(client_->Post("/api/lookup", As(Role::kInvestigator), "{}", "application/json")->status,
            405);
  // A view of more nodes than fit a GET still fits the export record's body.
  std::string many = R"({"format":"png","refs":[)";
  for (int i = 0; i < 2000; ++i)
    many += (i ? ",\"person:MUP-P" : "\"person:MUP-P") + std::to_string(i) + "\"";
  many += "]}";
  EXPECT_EQ(post(many)->status, 200);
  EXPECT_EQ(LastAuditRecord().entry.ids.size(), 2000u);
}

TEST_F(ServerTest, APolicyRequiringACaseRefusesQueriesWithoutOne) {
  ASSERT_TRUE(engine::WriteStorePolicy(db(), engine::StorePolicy{.require_case = true}).ok());
  StartServer();
  EXPECT_TRUE(Json::parse(Get("/api/me")->body)["require_case"].get<bool>());
  auto without = Get("/api/lookup?id=person:MUP-P1");
  EXPECT_EQ(without->status, 403);
  EXPECT_THAT(without->body, HasSubstr("case number"));
  EXPECT_THAT(LastAuditRecord().entry.outcome, HasSubstr("refused"));
  EXPECT_TRUE(LastAuditRecord().entry.ids.empty());
  auto with = Get("/api/lookup?id=person:MUP-P1", Role::kInvestigator, "KU-2026-7");
  EXPECT_EQ(with->status, 200);
  // The policy is read per request: lifting it needs no restart.
  ASSERT_TRUE(engine::WriteStorePolicy(db(), engine::StorePolicy{.require_case = false}).ok());
  EXPECT_EQ(Get("/api/lookup?id=person:MUP-P1")->status, 200);
}

TEST_F(ServerTest, AnswersConcurrentRequestsAlike) {
  StartServer();
  const std::string expected = Get("/api/neighbourhood?id=person:MUP-P2&hops=2")->body;
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      httplib::Client client("127.0.0.1", server_->port());
      for (int i = 0; i < 25; ++i) {
        auto result =
            client.Get("/api/neighbourhood?id=person:MUP-P2&hops=2", As(Role::kInvestigator));
        if (!result || result->status != 200 || result->body != expected) ++wrong;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
  auto log = storage::AuditLog::Open(storage::AuditLogPath(db()));
  auto verified = log->Verify();
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->ok());
  EXPECT_EQ(verified->records, 203u);  // the ingest's start and outcome, then 1 + 8 × 25 queries
}

TEST_F(ServerTest, AnswersWhileAnIngestWritesAndThenSeesWhatItCommitted) {
  StartServer();
  auto generated = RunTrafnet("generate --quiet --persons 3000 --networks 2 --seed 3 --out " +
                              Quote(dir_ / "more"));
  ASSERT_EQ(generated.exit_code, 0) << generated.output;
  std::atomic<bool> done{false};
  trafnet::testing::CommandResult ingest;
  std::thread writer([&] {
    ingest = RunTrafnet("ingest --quiet --db " + Quote(db()) + " --report-dir " +
                        Quote(dir_ / "reports2") + " " + Quote(dir_ / "more"));
    done = true;
  });
  // Four clients at once, each on its own connection, asking different queries until the
  // ingest ends.
  std::atomic<int> answered{0}, failed{0};
  const std::vector<std::string> queries = {
      "/api/neighbourhood?id=person:MUP-P2&hops=2", "/api/lookup?phone=064/123-4567",
      "/api/path?from=person:MUP-P1&to=person:MUP-P2", "/api/timeline?id=person:BIA-7"};
  std::vector<std::thread> readers;
  const httplib::Headers headers = As(Role::kInvestigator);
  const int port = server_->port();
  for (const std::string& query : queries) {
    readers.emplace_back([&, query] {
      httplib::Client client("127.0.0.1", port);
      do {
        auto result = client.Get(query, headers);
        if (result && result->status == 200)
          ++answered;
        else
          ++failed;
      } while (!done);
    });
  }
  writer.join();
  for (std::thread& reader : readers) reader.join();
  ASSERT_EQ(ingest.exit_code, 0) << ingest.output;
  EXPECT_GE(answered.load(), static_cast<int>(queries.size()));
  EXPECT_EQ(failed.load(), 0);
  // The secondary instance catches up within a few intervals.
  std::string first_new;
  {
    std::ifstream persons(dir_ / "more" / "persons.csv");
    std::string line;
    std::getline(persons, line);
    std::getline(persons, line);
    first_new = line.substr(0, line.find(','));
  }
  int status = 0;
  for (int attempt = 0; attempt < 100 && status != 200; ++attempt) {
    status = Get("/api/lookup?id=person:" + first_new)->status;
    if (Json::parse(Get("/api/lookup?id=person:" + first_new)->body, nullptr, false).empty())
      status = 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(status, 200) << "the server never saw " << first_new;
  server_->Stop();
  auto verify = RunTrafnet("verify --db " + Quote(db()));
  EXPECT_EQ(verify.exit_code, 0) << verify.output;
}

TEST_F(ServerTest, TheAnalysisOverlayComesFromTheLatestReport) {
  ServerOptions options;
  options.report = dir_ / "report.json";
  StartServer(options);
  EXPECT_EQ(Json::parse(Get("/api/analysis")->body), Json::parse(R"({"available":false})"));
  WriteFile(dir_ / "report.json", R"({"schema":"trafnet.report/1","generated_at":"2026-11-28T20:00:00Z",
    "networks":[{"id":"NET-0001","rank":1,"score":0.9,
      "members":[{"id":"MUP-P1","records":["MUP-P1","BIA-7"],"role":"recruiter","risk":0.91}],
      "identifiers":{"phones":["+381641234567"],"addresses":[]}}]})");
  auto analysis = Get("/api/analysis", Role::kAnalyst);
  ASSERT_EQ(analysis->status, 200) << analysis->body;
  const Json overlay = Json::parse(analysis->body);
  EXPECT_TRUE(overlay["available"].get<bool>());
  EXPECT_EQ(overlay["nodes"]["person:BIA-7"]["role"], "recruiter");
  EXPECT_EQ(overlay["nodes"]["person:MUP-P1"]["network"], "NET-0001");
  EXPECT_EQ(overlay["nodes"]["phone:+381641234567"]["network"], "NET-0001");
  storage::AuditRecord record = LastAuditRecord();
  EXPECT_EQ(record.entry.action, "query.analysis");
  EXPECT_THAT(record.entry.ids, ::testing::Contains("person:BIA-7"));
}

// Without --report the overlay is the latest successful `trafnet analyze` run on the store, as
// its audit record names it.
TEST_F(ServerTest, WithoutAReportTheOverlayIsTheLatestAnalyzeRunsOwn) {
  StartServer();
  EXPECT_EQ(Json::parse(Get("/api/analysis")->body), Json::parse(R"({"available":false})"));
  auto record_run = [&](const std::filesystem::path& out, const std::string& outcome) {
    auto log = storage::AuditLog::Open(storage::AuditLogPath(db()));
    ASSERT_TRUE(log.ok());
    storage::AuditEntry entry;
    entry.user = "analyst-user";
    entry.role = "cli";
    entry.action = "analyze";
    entry.parameters = {{"out", out.string()}, {"seed", "1"}};
    entry.outcome = outcome;
    ASSERT_TRUE(log->Append(std::move(entry)).ok());
  };
  auto write_report = [&](const std::filesystem::path& out, const std::string& network) {
    std::filesystem::create_directories(out);
    WriteFile(
        out / "report.json",
        R"({"schema":"trafnet.report/1","generated_at":"2026-12-06T01:00:00Z","networks":[{"id":")" +
            network +
            R"(","rank":1,"members":[{"id":"MUP-P1","records":["MUP-P1"],"role":"recruiter","risk":0.9}]}]})");
  };
  write_report(dir_ / "first", "NET-0001");
  record_run(dir_ / "first", "ok: 1 leads");
  EXPECT_EQ(Json::parse(Get("/api/analysis")->body)["nodes"]["person:MUP-P1"]["network"],
            "NET-0001");
  // A newer run is picked up without a restart; one that failed is not the latest report.
  write_report(dir_ / "second", "NET-0002");
  record_run(dir_ / "second", "ok: 1 leads");
  write_report(dir_ / "failed", "NET-0003");
  record_run(dir_ / "failed", "error: disk full");
  EXPECT_EQ(Json::parse(Get("/api/analysis")->body)["nodes"]["person:MUP-P1"]["network"],
            "NET-0002");
}

}  // namespace
}  // namespace trafnet::server
