// The investigator page's files, embedded in the binary at build time (server/embed_assets.cmake)
// from web/src and Cytoscape.js from web/node_modules: nothing is fetched when the page runs.
#ifndef TRAFNET_SERVER_WEB_ASSETS_H_
#define TRAFNET_SERVER_WEB_ASSETS_H_

#include <string_view>

namespace trafnet::server {

struct WebAsset {
  std::string_view path;          // "/", "/assets/app.js", …
  std::string_view content_type;  // with charset for text
  std::string_view body;
};

// The asset served at `path`, or nullptr.
const WebAsset* FindWebAsset(std::string_view path);

}  // namespace trafnet::server

#endif  // TRAFNET_SERVER_WEB_ASSETS_H_
