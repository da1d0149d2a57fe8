// What is in a store, for `trafnet stats`.
#ifndef TRAFNET_ENGINE_STATS_H_
#define TRAFNET_ENGINE_STATS_H_

#include <string>

#include "trafnet/storage/store.h"

namespace trafnet::engine {

// {"nodes":{kind:N,…},"links":{type:N,…},"observations":N,
//  "sources":{source:{"nodes":N,"observations":N},…},"store_bytes":N}
// Keys are sorted, so the text is stable for a given store content. A link counts once however
// many observations it has. `include_size` adds store_bytes (which varies with compaction).
std::string StatsJson(const storage::Store& store, bool include_size);

// The same as an aligned table for a terminal.
std::string StatsTable(const storage::Store& store);

}  // namespace trafnet::engine

#endif  // TRAFNET_ENGINE_STATS_H_
