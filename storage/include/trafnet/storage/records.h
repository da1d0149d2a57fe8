// The records trafnet stores: nodes (persons, phones, addresses and any other kind) and links
// with their observations.
//
// A node is identified by its kind and natural key: a person or address by the id its source
// gave it ("P0000123", agencies prefix their ids), a phone by its E.164 number (or, for a number
// that is not valid, by its raw text — see normalize.h). Fields are kept as ordered name/value
// pairs, so new kinds (account, vehicle, email, ad…) and extra input columns need no schema
// change. A link is identified by its two ends and its type; KNOWS, FAMILY and TRAVELED_WITH
// are symmetric (A–B is B–A), every other type is directed. Each time a source reports a link
// it adds an observation (source, time interval, count); the same observation reported again is
// the same fact and changes nothing.
#ifndef TRAFNET_STORAGE_RECORDS_H_
#define TRAFNET_STORAGE_RECORDS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace trafnet::storage {

// Dense, store-wide node number, assigned in ingest order from 0. Stable once assigned.
using NodeId = uint64_t;

// Well-known node kinds. Any lower-case word is a valid kind; these have dedicated handling.
inline constexpr std::string_view kPersonKind = "person";
inline constexpr std::string_view kPhoneKind = "phone";
inline constexpr std::string_view kAddressKind = "address";

// A typed reference as written in links: "person:P0000123", "phone:064/123-4567".
struct NodeRef {
  std::string kind;
  std::string key;
  friend bool operator==(const NodeRef&, const NodeRef&) = default;
};

// An ordered list of fields. Order is the input's, so what is stored reads like what came in.
using Fields = std::vector<std::pair<std::string, std::string>>;

// The value of `name` in `fields`, or empty.
std::string_view FieldValue(const Fields& fields, std::string_view name);

struct NodeRecord {
  NodeId id = 0;
  std::string kind;  // "person", "phone", "address", …
  std::string key;   // natural key: the id as ingested, or the phone's E.164 / "?raw"
  // Attributes as ingested (raw values for evidence) plus derived ones the store computes:
  // "name_key", "address_key", "quality" ("valid"/"invalid"), "region", "raw" (phone as written).
  Fields fields;
  // Sources (agencies/systems) that reported this node, sorted, without duplicates.
  std::vector<std::string> sources;
};

// True for KNOWS, FAMILY and TRAVELED_WITH.
bool IsSymmetricLinkType(std::string_view type);

// True when `type` is an upper-case word: [A-Z][A-Z0-9_]*, at most 64 bytes.
bool IsValidLinkType(std::string_view type);

// True when `kind` is a lower-case word: [a-z][a-z0-9_]*, at most 32 bytes.
bool IsValidNodeKind(std::string_view kind);

struct Observation {
  std::string source;  // agency or system that reported it
  std::string start;   // ISO date or datetime as given, or empty
  std::string end;     // ISO date or datetime as given, or empty
  uint64_t count = 1;  // positive
  Fields extra;        // extra columns of the input row
};

struct LinkRecord {
  NodeId from = 0;  // for symmetric types, from < to
  NodeId to = 0;
  std::string type;
  std::vector<Observation> observations;  // in key order (stable)
};

}  // namespace trafnet::storage

#endif  // TRAFNET_STORAGE_RECORDS_H_
