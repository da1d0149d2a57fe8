// `trafnet serve`: the investigators' queries as a JSON API on a local port, and the single-page
// investigator view that uses it (docs/serve.md is the user's description, this is the contract).
//
// Routes (GET, but for the export record):
//   /                       the page (web/src, with Cytoscape.js from web/node_modules, embedded)
//   /assets/<file>          its script, style sheet and Cytoscape.js
//   /api/me                 who the token belongs to, their role, whether a case is required
//   /api/lookup?phone=|name=|address=|id=   [&limit=]
//   /api/neighbourhood?id=&hops=   [&kinds=&types=&since=&until=&limit=&hub_degree=&expand_hubs=]
//   /api/path?from=&to= | ?ids=a,b,…   [&k=&max_hops=&types=&kinds=&since=&until=&hub_degree=]
//   /api/shared?ids=a,b,…
//   /api/timeline?id=
//   /api/analysis           community and risk per person from the latest `trafnet analyze`
//                           (its run recorded in the audit trail, or --report)
//   /api/audit              the audit trail (auditor, admin) [&verify=1]
//   POST /api/export        records that the page exports its view (JSON body: format, refs,
//                           links); the page saves the file only once this has answered 200
// The API answers the JSON of `trafnet query … --json`; errors are {"error": "…"} with 400 for a
// bad parameter (unknown ones included), 401 without a valid token, 403 for a role that may not,
// a missing case number when the store's policy requires one, or a foreign Host or Origin, 404
// for an unknown id or route, 405 for another method, 413 for a body (over 512 KiB for the
// export record), 500 otherwise.
//
// Security: binds to 127.0.0.1 unless told otherwise; every /api/ request needs a bearer token
// (access.h); the Host header must name this server (DNS rebinding) and an Origin, when sent, must
// be this server's (no CORS headers are ever sent); every response carries a strict
// Content-Security-Policy and no-store, nosniff, no-referrer and deny-framing headers; request
// size, time and the work a query may ask for are bounded. Every API request that reaches a
// query — answered, refused or failed — appends an audit record (storage/audit_log.h) before the
// answer is sent: an access that cannot be recorded is not answered.
//
// Reads while an ingest writes: the store is opened as a RocksDB secondary instance (its logs in
// a private temporary folder) that catches up with the writer every `catch_up_interval`; a query
// sees one consistent snapshot. The server never takes the store's lock and never writes to it.
#ifndef TRAFNET_SERVER_SERVER_H_
#define TRAFNET_SERVER_SERVER_H_

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "trafnet/base/status.h"
#include "trafnet/server/access.h"

namespace trafnet::server {

struct ServerOptions {
  std::filesystem::path db;
  // Address to listen on; 127.0.0.1 keeps the data on this machine.
  std::string bind = "127.0.0.1";
  // TCP port; 0 picks a free one (see Server::port()).
  int port = 8080;
  // Who may ask (access.h). Required: a server without tokens refuses to start.
  std::shared_ptr<const AccessList> access;
  // Extra names the Host header may carry (a reverse proxy's, say), with or without ":port".
  // The bind address, localhost, 127.0.0.1 and [::1] are always allowed.
  std::vector<std::string> allowed_hosts;
  // The report.json for /api/analysis; empty: that of the latest `trafnet analyze` run on this
  // store that succeeded (the last `analyze` record of the audit trail names its folder). Re-read
  // when it changes on disk, or when a newer run is recorded.
  std::filesystem::path report;
  // Region of phone numbers written without a country code.
  std::string region = "RS";
  // Worker threads answering requests.
  int threads = 8;
  // How often the secondary instance reads what an ingest has committed.
  std::chrono::milliseconds catch_up_interval{1000};
  // Limits: a request's body (the API reads none), reading and writing one request.
  size_t max_body_bytes = 16 << 10;
  int timeout_seconds = 10;
  // One line per request on stderr (method, path without its parameters, status, time).
  bool log_requests = false;
};

class Server {
 public:
  // Opens the store, binds the port and starts answering on background threads.
  static StatusOr<std::unique_ptr<Server>> Start(ServerOptions options);
  ~Server();  // Stop()
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  int port() const;
  // "http://127.0.0.1:8080/".
  std::string url() const;
  // Stops answering, finishes requests in flight, closes the store. Idempotent.
  void Stop();

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace trafnet::server

#endif  // TRAFNET_SERVER_SERVER_H_
