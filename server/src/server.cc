#include "trafnet/server/server.h"

#include <httplib.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <shared_mutex>
#include <sstream>
#include <thread>

#include "trafnet/engine/query.h"
#include "trafnet/engine/query_format.h"
#include "trafnet/engine/query_privacy.h"
#include "trafnet/engine/store_policy.h"
#include "trafnet/storage/audit_log.h"
#include "trafnet/storage/store.h"
#include "web_assets.h"

namespace trafnet::server {

namespace {

using Json = nlohmann::ordered_json;

// The page's policy: its own scripts, styles and data only; no framing, no forms, no plugins.
constexpr char kContentSecurityPolicy[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

// Bounds on the work one request may ask for.
constexpr int kMaxHops = 4;
constexpr int kMaxPathHops = 8;
constexpr int kMaxPaths = 10;
constexpr int64_t kMaxNodes = 2000;
constexpr size_t kMaxIds = 20;
// The page's export record (POST, a JSON body naming what the exported view showed).
constexpr std::string_view kExportPath = "/api/export";
constexpr size_t kMaxExportBodyBytes = 512 << 10;
constexpr size_t kMaxRefBytes = 1024;
constexpr int64_t kMaxAuditRecords = 10000;

// An answer to send and the records it discloses.
struct Answer {
  std::string json;
  std::vector<std::string> refs;
};

// A request's parameters: only the named ones are accepted, each at most once, so a typo is a
// 400 rather than a silently ignored filter.
class Params {
 public:
  Params(const httplib::Request& request, const std::vector<std::string_view>& accepted)
      : request_(request) {
    for (const auto& [name, value] : request.params) {
      if (std::find(accepted.begin(), accepted.end(), name) == accepted.end()) {
        status_ = InvalidArgumentError("unknown parameter '" + name + "'");
        return;
      }
      if (request.get_param_value_count(name) > 1) {
        status_ = InvalidArgumentError("parameter '" + name + "' given more than once");
        return;
      }
    }
  }

  const Status& status() const { return status_; }
  bool Has(const std::string& name) const { return request_.has_param(name); }
  std::string Get(const std::string& name) const { return request_.get_param_value(name); }

  StatusOr<int64_t> Int(const std::string& name, int64_t fallback, int64_t low,
                        int64_t high) const {
    if (!Has(name)) return fallback;
    const std::string text = Get(name);
    int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value < low || value > high) {
      return InvalidArgumentError("parameter '" + name + "': '" + text +
                                  "' is not a whole number from " + std::to_string(low) + " to " +
                                  std::to_string(high));
    }
    return value;
  }

  StatusOr<bool> Flag(const std::string& name) const {
    if (!Has(name)) return false;
    const std::string text = Get(name);
    if (text == "1" || text == "true") return true;
    if (text == "0" || text == "false") return false;
    return InvalidArgumentError("parameter '" + name + "': '" + text + "' is not 1 or 0");
  }

  std::vector<std::string> List(const std::string& name) const {
    std::vector<std::string> out;
    std::stringstream in(Get(name));
    for (std::string item; std::getline(in, item, ',');) {
      if (!item.empty()) out.push_back(item);
    }
    return out;
  }

 private:
  const httplib::Request& request_;
  Status status_;
};

int HttpStatus(const Status& status) {
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kNotFound:
      return 404;
    default:
      return 500;
  }
}

void SendError(httplib::Response& response, int code, const std::string& message) {
  response.status = code;
  // Messages may quote what was sent, which need not be UTF-8.
  response.set_content(
      Json{{"error", message}}.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n",
      "application/json");
}

bool IsQuery(std::string_view what) { return what != "audit"; }

}  // namespace

struct Server::Impl {
  ServerOptions options;
  std::unique_ptr<storage::Store> store;
  // Queries read under a shared lock; catching up with the writer takes it exclusively.
  std::shared_mutex store_mutex;
  std::optional<storage::AuditLog> audit;
  std::filesystem::path secondary_dir;
  std::set<std::string> allowed_hosts;  // exact Host header values
  int port = 0;

  httplib::Server http;
  std::thread listener;
  std::thread catch_up;
  std::mutex stop_mutex;
  std::condition_variable stop_signal;
  bool stopping = false;

  // The analysis overlay, re-read when the report changes.
  std::mutex analysis_mutex;
  std::filesystem::path analysis_path;
  std::filesystem::file_time_type analysis_time{};
  std::string analysis_json;
  std::vector<std::string> analysis_refs;

  ~Impl() { Shutdown(); }

  void Shutdown() {
    {
      std::lock_guard<std::mutex> lock(stop_mutex);
      if (stopping) return;
      stopping = true;
    }
    stop_signal.notify_all();
    http.stop();
    if (listener.joinable()) listener.join();
    if (catch_up.joinable()) catch_up.join();
    store.reset();
    std::error_code ec;
    if (!secondary_dir.empty()) std::filesystem::remove_all(secondary_dir, ec);
  }

  void CatchUpLoop() {
    std::unique_lock<std::mutex> lock(stop_mutex);
    while (!stop_signal.wait_for(lock, options.catch_up_interval, [&] { return stopping; })) {
      lock.unlock();
      {
        std::unique_lock<std::shared_mutex> write(store_mutex);
        if (Status status = store->CatchUp(); !status.ok())
          std::fprintf(stderr, "trafnet serve: %s\n", status.message().c_str());
      }
      lock.lock();
    }
  }

  // DNS rebinding and cross-site requests: the Host must name this server, an Origin be it.
  bool HostAllowed(const httplib::Request& request, std::string& why) const {
    const std::string host = request.get_header_value("Host");
    if (!allowed_hosts.count(host)) {
      why = "host '" + host + "' is not this server's";
      return false;
    }
    if (request.has_header("Origin")) {
      const std::string origin = request.get_header_value("Origin");
      if (origin.rfind("http://", 0) != 0 || !allowed_hosts.count(origin.substr(7))) {
        why = "cross-origin requests are not answered";
        return false;
      }
    }
    return true;
  }

  std::optional<Principal> Authenticate(const httplib::Request& request) const {
    const std::string header = request.get_header_value("Authorization");
    constexpr std::string_view kBearer = "Bearer ";
    if (header.size() <= kBearer.size() || header.compare(0, kBearer.size(), kBearer) != 0)
      return std::nullopt;
    return options.access->Authenticate(std::string_view(header).substr(kBearer.size()));
  }

  // Appends the access to the audit trail; false when it cannot (the answer is then withheld).
  // `extra` are parameters that came in the body rather than the address.
  bool Record(const httplib::Request& request, const Principal& who, const std::string& action,
              const std::string& justification, const std::string& outcome,
              std::vector<std::string> ids,
              const std::vector<std::pair<std::string, std::string>>& extra = {}) {
    storage::AuditEntry entry;
    entry.user = who.user;
    entry.role = std::string(RoleName(who.role));
    entry.action = action;
    entry.parameters.emplace_back("client", "web " + request.remote_addr);
    for (const auto& [name, value] : request.params) entry.parameters.emplace_back(name, value);
    for (const auto& [name, value] : extra) entry.parameters.emplace_back(name, value);
    entry.ids = std::move(ids);
    entry.justification = justification;
    entry.outcome = outcome;
    auto appended = audit->Append(std::move(entry));
    if (!appended.ok()) {
      std::fprintf(stderr, "trafnet serve: cannot record an access in the audit trail: %s\n",
                   appended.status().message().c_str());
      return false;
    }
    return true;
  }

  struct Admitted {
    Principal who;
    std::string justification;  // the case number (X-Trafnet-Case), "" when none
  };

  // The checks every recorded access passes before its work: a valid token (else 401, not
  // recorded: no user is known), a role that `may` do it (else 403 "the <role> role
  // <not_allowed>") and the store's case policy (else 403); a refusal is recorded under
  // `action`. Nothing when the answer has been sent.
  std::optional<Admitted> Admit(const httplib::Request& request, httplib::Response& response,
                                const std::string& action, bool (*may)(Role),
                                std::string_view not_allowed) {
    std::optional<Principal> who = Authenticate(request);
    if (!who) {
      SendError(response, 401, "a valid token is needed (Authorization: Bearer …)");
      return std::nullopt;
    }
    Admitted admitted{*who, request.get_header_value("X-Trafnet-Case")};
    auto refuse = [&](const std::string& why) -> std::optional<Admitted> {
      if (!Record(request, admitted.who, action, admitted.justification, "refused: " + why, {}))
        SendError(response, 500, "the access cannot be recorded in the audit trail");
      else
        SendError(response, 403, why);
      return std::nullopt;
    };
    if (!may(who->role))
      return refuse("the " + std::string(RoleName(who->role)) + " role " +
                    std::string(not_allowed));
    StatusOr<engine::StorePolicy> policy = engine::ReadStorePolicy(options.db);
    if (!policy.ok()) return refuse(policy.status().message());
    if (policy->require_case && admitted.justification.empty())
      return refuse(
          "this store requires a case number for every query and export (X-Trafnet-Case)");
    return admitted;
  }

  using QueryFn = std::function<StatusOr<Answer>(const Params&, const Principal&)>;

  // Registers /api/<what>: token, role, policy, parameters, the query, the audit record.
  void Api(const std::string& what, std::initializer_list<std::string_view> accepted, QueryFn fn) {
    http.Get("/api/" + what, [this, what, accepted = std::vector<std::string_view>(accepted), fn](
                                 const httplib::Request& request, httplib::Response& response) {
      const std::string action = (IsQuery(what) ? "query." : "") + what;
      const std::optional<Admitted> admitted =
          IsQuery(what)
              ? Admit(request, response, action, MayQuery, "may not run queries")
              : Admit(request, response, action, MayReadAudit, "may not read the audit trail");
      if (!admitted) return;
      const Principal* who = &admitted->who;
      const std::string& justification = admitted->justification;
      Params params(request, accepted);
      StatusOr<Answer> answer =
          params.status().ok() ? RunLocked(fn, params, *who) : StatusOr<Answer>(params.status());
      const std::string outcome = answer.ok() ? "ok" : "error: " + answer.status().message();
      if (!Record(request, *who, action, justification, outcome,
                  answer.ok() ? answer->refs : std::vector<std::string>()))
        return SendError(response, 500, "the access cannot be recorded in the audit trail");
      if (!answer.ok())
        return SendError(response, HttpStatus(answer.status()), answer.status().message());
      response.set_content(answer->json, "application/json");
    });
  }

  StatusOr<Answer> RunLocked(const QueryFn& fn, const Params& params, const Principal& who) {
    std::shared_lock<std::shared_mutex> read(store_mutex);
    return fn(params, who);
  }

  StatusOr<storage::NodeId> Resolve(const std::string& ref) const {
    if (ref.empty())
      return InvalidArgumentError("a node reference is needed (person:P1, phone:…, address:…)");
    return engine::ResolveRef(*store, ref, options.region);
  }

  // Dates are checked by the queries themselves (LinkFilter::Check).
  static engine::LinkFilter Filter(const Params& params) {
    engine::LinkFilter filter;
    for (const std::string& kind : params.List("kinds")) filter.kinds.insert(kind);
    for (const std::string& type : params.List("types")) filter.types.insert(type);
    filter.since = params.Get("since");
    filter.until = params.Get("until");
    return filter;
  }

  StatusOr<std::vector<storage::NodeId>> ResolveList(const Params& params,
                                                     const std::string& name) const {
    std::vector<std::string> refs = params.List(name);
    if (refs.size() > kMaxIds)
      return InvalidArgumentError("at most " + std::to_string(kMaxIds) + " ids at once");
    std::vector<storage::NodeId> nodes;
    for (const std::string& ref : refs) {
      TRAFNET_ASSIGN_OR_RETURN(storage::NodeId node, Resolve(ref));
      nodes.push_back(node);
    }
    return nodes;
  }

  void RegisterQueries() {
    const auto json = engine::QueryFormat::kJson;
    Api("lookup", {"phone", "name", "address", "id", "limit"},
        [this, json](const Params& p, const Principal& who) -> StatusOr<Answer> {
          engine::LookupRequest request;
          request.phone = p.Get("phone");
          request.name = p.Get("name");
          request.address = p.Get("address");
          request.id = p.Get("id");
          request.region = options.region;
          TRAFNET_ASSIGN_OR_RETURN(int64_t limit, p.Int("limit", 20, 1, 200));
          request.limit = static_cast<size_t>(limit);
          TRAFNET_ASSIGN_OR_RETURN(auto matches, engine::Lookup(*store, request));
          if (!SeesVictims(who.role)) engine::MaskVictims(matches, request);
          return Answer{engine::FormatLookup(matches, json), engine::DisclosedRefs(matches)};
        });
    Api("neighbourhood",
        {"id", "hops", "kinds", "types", "since", "until", "limit", "hub_degree", "expand_hubs"},
        [this, json](const Params& p, const Principal& who) -> StatusOr<Answer> {
          engine::NeighbourhoodRequest request;
          TRAFNET_ASSIGN_OR_RETURN(request.start, Resolve(p.Get("id")));
          TRAFNET_ASSIGN_OR_RETURN(int64_t hops, p.Int("hops", 1, 0, kMaxHops));
          TRAFNET_ASSIGN_OR_RETURN(int64_t limit, p.Int("limit", 500, 1, kMaxNodes));
          TRAFNET_ASSIGN_OR_RETURN(int64_t hub_degree, p.Int("hub_degree", 100, 1, 1000000));
          TRAFNET_ASSIGN_OR_RETURN(request.expand_hubs, p.Flag("expand_hubs"));
          request.filter = Filter(p);
          request.hops = static_cast<int>(hops);
          request.limit = static_cast<size_t>(limit);
          request.hub_degree = static_cast<uint64_t>(hub_degree);
          TRAFNET_ASSIGN_OR_RETURN(auto graph, engine::Neighbourhood(*store, request));
          if (!SeesVictims(who.role)) engine::MaskVictims(graph);
          return Answer{engine::FormatSubgraph(graph, json), engine::DisclosedRefs(graph)};
        });
    Api("path",
        {"from", "to", "ids", "k", "max_hops", "kinds", "types", "since", "until", "hub_degree"},
        [this, json](const Params& p, const Principal& who) -> StatusOr<Answer> {
          engine::PathRequest request;
          if (p.Has("ids")) {
            if (p.Has("from") || p.Has("to"))
              return InvalidArgumentError("give from and to, or ids");
            TRAFNET_ASSIGN_OR_RETURN(request.nodes, ResolveList(p, "ids"));
          } else {
            TRAFNET_ASSIGN_OR_RETURN(storage::NodeId from, Resolve(p.Get("from")));
            TRAFNET_ASSIGN_OR_RETURN(storage::NodeId to, Resolve(p.Get("to")));
            request.nodes = {from, to};
          }
          if (request.nodes.size() < 2)
            return InvalidArgumentError("a path needs two nodes at least");
          TRAFNET_ASSIGN_OR_RETURN(int64_t k, p.Int("k", 1, 1, kMaxPaths));
          TRAFNET_ASSIGN_OR_RETURN(int64_t max_hops, p.Int("max_hops", 6, 1, kMaxPathHops));
          TRAFNET_ASSIGN_OR_RETURN(int64_t hub_degree, p.Int("hub_degree", 100, 1, 1000000));
          request.filter = Filter(p);
          request.k = static_cast<int>(k);
          request.max_hops = static_cast<int>(max_hops);
          request.hub_degree = static_cast<uint64_t>(hub_degree);
          TRAFNET_ASSIGN_OR_RETURN(auto result, engine::Paths(*store, request));
          if (!SeesVictims(who.role)) engine::MaskVictims(result);
          return Answer{engine::FormatPaths(result, json), engine::DisclosedRefs(result.subgraph)};
        });
    Api("shared", {"ids"}, [this, json](const Params& p, const Principal& who) -> StatusOr<Answer> {
      TRAFNET_ASSIGN_OR_RETURN(auto nodes, ResolveList(p, "ids"));
      if (nodes.size() < 2) return InvalidArgumentError("shared needs two ids at least");
      TRAFNET_ASSIGN_OR_RETURN(auto items, engine::Shared(*store, nodes));
      if (!SeesVictims(who.role)) engine::MaskVictims(items);
      return Answer{engine::FormatShared(items, json), engine::DisclosedRefs(items)};
    });
    Api("timeline", {"id"},
        [this, json](const Params& p, const Principal& who) -> StatusOr<Answer> {
          TRAFNET_ASSIGN_OR_RETURN(storage::NodeId node, Resolve(p.Get("id")));
          TRAFNET_ASSIGN_OR_RETURN(engine::NodeTimeline timeline, engine::Timeline(*store, node));
          if (!SeesVictims(who.role)) engine::MaskVictims(timeline);
          return Answer{engine::FormatTimeline(timeline.node, timeline.events, json),
                        engine::DisclosedRefs(timeline)};
        });
    Api("analysis", {},
        [this](const Params&, const Principal&) -> StatusOr<Answer> { return Analysis(); });
    Api("audit", {"verify", "limit"},
        [this](const Params& p, const Principal&) -> StatusOr<Answer> {
          TRAFNET_ASSIGN_OR_RETURN(bool verify, p.Flag("verify"));
          TRAFNET_ASSIGN_OR_RETURN(int64_t limit, p.Int("limit", 1000, 1, kMaxAuditRecords));
          TRAFNET_ASSIGN_OR_RETURN(auto records, audit->ReadAll());
          Json out{{"records", Json::array()}};
          const size_t first =
              records.size() > static_cast<size_t>(limit) ? records.size() - limit : 0;
          for (size_t i = first; i < records.size(); ++i)
            out["records"].push_back(Json::parse(storage::AuditRecordToJson(records[i])));
          if (verify) {
            TRAFNET_ASSIGN_OR_RETURN(auto report, audit->Verify());
            out["verify"] = Json{{"ok", report.ok()},
                                 {"records", report.records},
                                 {"head_seq", report.head_seq},
                                 {"head_hash", report.head_hash},
                                 {"problems", report.problems}};
          }
          return Answer{out.dump(2) + "\n", {}};
        });
  }

  // POST /api/export: the page is about to save its view as a file (PNG or GraphML, built in the
  // browser). The body names what the file will hold — {"format": "png"|"graphml", "refs":
  // [node refs], "links": N} — and the access is recorded as an `export` with those refs before
  // the answer says the page may go ahead: a disclosure that cannot be recorded is not made.
  void RegisterExport() {
    http.Post(std::string(kExportPath), [this](const httplib::Request& request,
                                               httplib::Response& response) {
      const std::optional<Admitted> admitted =
          Admit(request, response, "export", MayQuery, "may not export views");
      if (!admitted) return;
      auto record = [&](const std::string& outcome, std::vector<std::string> refs,
                        const std::vector<std::pair<std::string, std::string>>& extra) {
        return Record(request, admitted->who, "export", admitted->justification, outcome,
                      std::move(refs), extra);
      };
      auto refuse = [&](int status, const std::string& why) {
        if (!record("error: " + why, {}, {}))
          return SendError(response, 500, "the access cannot be recorded in the audit trail");
        SendError(response, status, why);
      };
      const Json body = Json::parse(request.body, nullptr, /*allow_exceptions=*/false);
      if (!body.is_object()) return refuse(400, "the body must be a JSON object");
      for (const auto& [key, value] : body.items()) {
        if (key != "format" && key != "refs" && key != "links")
          return refuse(400, "unknown field '" + key + "' (format, refs, links)");
      }
      const Json format = body.value("format", Json());
      if (!format.is_string() || (format != "png" && format != "graphml"))
        return refuse(400, "format must be \"png\" or \"graphml\"");
      const Json refs = body.value("refs", Json());
      if (!refs.is_array() || refs.empty() || refs.size() > static_cast<size_t>(kMaxNodes))
        return refuse(400,
                      "refs must list the view's 1 to " + std::to_string(kMaxNodes) + " nodes");
      std::vector<std::string> exported;
      for (const Json& ref : refs) {
        if (!ref.is_string() || ref.get<std::string>().empty() ||
            ref.get<std::string>().size() > kMaxRefBytes)
          return refuse(400, "every ref must be a node reference such as person:P1");
        exported.push_back(ref.get<std::string>());
      }
      const Json links = body.contains("links") ? body["links"] : Json(uint64_t{0});
      if (!links.is_number_unsigned() ||
          links.get<uint64_t>() > 100 * static_cast<uint64_t>(kMaxNodes))
        return refuse(400, "links must be the number of links in the view");
      const std::vector<std::pair<std::string, std::string>> extra = {
          {"format", format.get<std::string>()},
          {"nodes", std::to_string(exported.size())},
          {"links", std::to_string(links.get<uint64_t>())}};
      const size_t nodes = exported.size();
      if (!record("ok", std::move(exported), extra))
        return SendError(response, 500, "the access cannot be recorded in the audit trail");
      response.set_content(Json{{"recorded", true}, {"nodes", nodes}}.dump() + "\n",
                           "application/json");
    });
  }

  // Community and risk per person from the latest report (docs/report-format.md), keyed by
  // reference; re-read when the file changes.
  // Without --report, the latest `trafnet analyze` run on this store is the last `analyze`
  // record of the audit trail that succeeded: its `out` folder holds report.json.
  StatusOr<std::filesystem::path> LatestReport() const {
    if (!options.report.empty()) return options.report;
    TRAFNET_ASSIGN_OR_RETURN(std::vector<storage::AuditRecord> records, audit->ReadAll());
    for (auto record = records.rbegin(); record != records.rend(); ++record) {
      const storage::AuditEntry& entry = record->entry;
      if (entry.action != "analyze" || !entry.outcome.starts_with("ok")) continue;
      for (const auto& [name, value] : entry.parameters) {
        if (name == "out") return std::filesystem::path(value) / "report.json";
      }
    }
    return std::filesystem::path();
  }

  StatusOr<Answer> Analysis() {
    TRAFNET_ASSIGN_OR_RETURN(const std::filesystem::path report_path, LatestReport());
    if (report_path.empty()) return Answer{"{\"available\":false}\n", {}};
    std::lock_guard<std::mutex> lock(analysis_mutex);
    std::error_code ec;
    const auto time = std::filesystem::last_write_time(report_path, ec);
    if (ec) return Answer{"{\"available\":false}\n", {}};
    if (analysis_json.empty() || time != analysis_time || report_path != analysis_path) {
      std::ifstream in(report_path);
      std::stringstream text;
      text << in.rdbuf();
      const Json report = Json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
      if (!report.is_object() || report.value("schema", "") != "trafnet.report/1")
        return InternalError(report_path.string() + " is not a trafnet report");
      Json nodes = Json::object();
      for (const Json& network : report.value("networks", Json::array())) {
        for (const Json& member : network.value("members", Json::array())) {
          for (const Json& record : member.value("records", Json::array())) {
            nodes["person:" + record.get<std::string>()] =
                Json{{"network", network.value("id", "")},
                     {"rank", network.value("rank", 0)},
                     {"role", member.value("role", "")},
                     {"risk", member.value("risk", 0.0)}};
          }
        }
        // The phones and addresses that tie the lead; networks come best-ranked first.
        const Json identifiers = network.value("identifiers", Json::object());
        for (const auto& [kind, key] : {std::pair{"phone", "phones"}, std::pair{"address", "addresses"}}) {
          for (const Json& id : identifiers.value(key, Json::array())) {
            const std::string ref = std::string(kind) + ":" + id.get<std::string>();
            if (!nodes.contains(ref))
              nodes[ref] = Json{{"network", network.value("id", "")}, {"rank", network.value("rank", 0)}};
          }
        }
      }
      analysis_refs.clear();
      for (const auto& [ref, value] : nodes.items()) analysis_refs.push_back(ref);
      analysis_json = Json{{"available", true},
                           {"generated_at", report.value("generated_at", "")},
                           {"nodes", nodes}}
                          .dump() +
                      "\n";
      analysis_time = time;
      analysis_path = report_path;
    }
    return Answer{analysis_json, analysis_refs};
  }

  void RegisterPage() {
    http.Get("/api/me", [this](const httplib::Request& request, httplib::Response& response) {
      std::optional<Principal> who = Authenticate(request);
      if (!who)
        return SendError(response, 401, "a valid token is needed (Authorization: Bearer …)");
      StatusOr<engine::StorePolicy> policy = engine::ReadStorePolicy(options.db);
      response.set_content(Json{{"user", who->user},
                                {"role", RoleName(who->role)},
                                {"require_case", !policy.ok() || policy->require_case}}
                                   .dump() +
                               "\n",
                           "application/json");
    });
    // The page's files carry no data: no token needed, so a browser can load them.
    http.Get(R"(/|/assets/[a-z0-9_.-]+)",
             [](const httplib::Request& request, httplib::Response& response) {
               const WebAsset* asset = FindWebAsset(request.path);
               if (asset == nullptr) return SendError(response, 404, "no such page");
               response.set_content(std::string(asset->body), std::string(asset->content_type));
             });
  }

  Status Configure() {
    http.new_task_queue = [threads = options.threads] {
      return new httplib::ThreadPool(static_cast<size_t>(threads));
    };
    http.set_payload_max_length(std::max<size_t>(options.max_body_bytes, kMaxExportBodyBytes));
    http.set_read_timeout(options.timeout_seconds);
    http.set_write_timeout(options.timeout_seconds);
    http.set_keep_alive_timeout(5);
    http.set_default_headers({{"Content-Security-Policy", kContentSecurityPolicy},
                              {"X-Content-Type-Options", "nosniff"},
                              {"Referrer-Policy", "no-referrer"},
                              {"X-Frame-Options", "DENY"},
                              {"Cross-Origin-Opener-Policy", "same-origin"},
                              {"Cross-Origin-Resource-Policy", "same-origin"},
                              {"Cache-Control", "no-store"}});
    http.set_pre_routing_handler(
        [this](const httplib::Request& request, httplib::Response& response) {
          std::string why;
          if (!HostAllowed(request, why)) {
            SendError(response, 403, why);
            return httplib::Server::HandlerResponse::Handled;
          }
          // Bodies are refused before they are read: only the export record has one.
          const bool export_record = request.path == kExportPath;
          const uint64_t body_limit = export_record ? kMaxExportBodyBytes : options.max_body_bytes;
          if (request.get_header_value<uint64_t>("Content-Length") > body_limit) {
            SendError(response, 413, "request too large");
            return httplib::Server::HandlerResponse::Handled;
          }
          const char* method = export_record ? "POST" : "GET";
          if (request.method != method) {
            response.set_header("Allow", method);
            SendError(response, 405, std::string("only ") + method + " is answered here");
            return httplib::Server::HandlerResponse::Handled;
          }
          return httplib::Server::HandlerResponse::Unhandled;
        });
    http.set_error_handler([](const httplib::Request&, httplib::Response& response) {
      if (response.body.empty()) {
        SendError(response, response.status,
                  response.status == 404
                      ? "no such page"
                      : "request refused (HTTP " + std::to_string(response.status) + ")");
      }
    });
    http.set_exception_handler(
        [](const httplib::Request&, httplib::Response& response, std::exception_ptr) {
          SendError(response, 500, "internal error");
        });
    if (options.log_requests) {
      http.set_logger([](const httplib::Request& request, const httplib::Response& response) {
        std::fprintf(stderr, "%s %s %d\n", request.method.c_str(), request.path.c_str(),
                     response.status);
      });
    }
    RegisterQueries();
    RegisterExport();
    RegisterPage();
    return Status::Ok();
  }
};

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() { Stop(); }
void Server::Stop() { impl_->Shutdown(); }
int Server::port() const { return impl_->port; }

std::string Server::url() const {
  const std::string& bind = impl_->options.bind;
  const std::string host = bind.find(':') != std::string::npos ? "[" + bind + "]" : bind;
  return "http://" + host + ":" + std::to_string(impl_->port) + "/";
}

StatusOr<std::unique_ptr<Server>> Server::Start(ServerOptions options) {
  if (!options.access || options.access->size() == 0)
    return InvalidArgumentError("a server needs tokens (a token file or a users file)");
  if (options.threads < 1) return InvalidArgumentError("threads must be at least 1");
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  const ServerOptions& o = impl->options;

  std::string pattern = (std::filesystem::temp_directory_path() / "trafnet-serve-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr)
    return IoError("cannot make a folder for the store's secondary instance in " +
                   std::filesystem::temp_directory_path().string());
  impl->secondary_dir = pattern;
  storage::StoreOptions store_options;
  store_options.create_if_missing = false;
  store_options.read_only = true;
  store_options.secondary_dir = impl->secondary_dir;
  TRAFNET_ASSIGN_OR_RETURN(impl->store, storage::Store::Open(o.db, store_options));
  TRAFNET_ASSIGN_OR_RETURN(storage::AuditLog log,
                           storage::AuditLog::Open(storage::AuditLogPath(o.db)));
  impl->audit = std::move(log);
  TRAFNET_ASSIGN_OR_RETURN(engine::StorePolicy policy, engine::ReadStorePolicy(o.db));
  (void)policy;  // read per request; a broken policy file stops the start here already

  TRAFNET_RETURN_IF_ERROR(impl->Configure());
  impl->port = o.port == 0 ? impl->http.bind_to_any_port(o.bind)
                           : (impl->http.bind_to_port(o.bind, o.port) ? o.port : -1);
  if (impl->port <= 0)
    return IoError("cannot listen on " + o.bind + ":" + std::to_string(o.port) +
                   " (in use, or not an address of this machine)");
  const std::string port = std::to_string(impl->port);
  const std::string bind = o.bind.find(':') != std::string::npos ? "[" + o.bind + "]" : o.bind;
  for (const std::string& host :
       {bind, std::string("localhost"), std::string("127.0.0.1"), std::string("[::1]")}) {
    impl->allowed_hosts.insert(host + ":" + port);
  }
  for (const std::string& host : o.allowed_hosts) {
    impl->allowed_hosts.insert(host.find(':') == std::string::npos ? host + ":" + port : host);
  }
  Impl* raw = impl.get();
  impl->listener = std::thread([raw] { raw->http.listen_after_bind(); });
  impl->catch_up = std::thread([raw] { raw->CatchUpLoop(); });
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

}  // namespace trafnet::server
