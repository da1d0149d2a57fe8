// Field-level rules of the v1 input contract, shared by ingest and its tests.
#ifndef TRAFNET_ENGINE_SRC_ROW_RULES_H_
#define TRAFNET_ENGINE_SRC_ROW_RULES_H_

#include <optional>
#include <string>
#include <string_view>

namespace trafnet::engine {

// Leading and trailing ASCII whitespace removed.
std::string_view Trim(std::string_view text);

// "YYYY-MM-DD" naming a real calendar day.
bool IsIsoDate(std::string_view text);
// An ISO date, or a date and time "YYYY-MM-DDTHH:MM[:SS[.fraction]][Z|±HH:MM]" (a space may stand
// for the T).
bool IsIsoDateOrDateTime(std::string_view text);
// An ISO 3166-1 alpha-2 code ICU knows ("RS", "DE"); upper-case only.
bool IsCountryCode(std::string_view text);
// Control characters (below U+0020, or DEL) anywhere in the text.
bool HasControlCharacters(std::string_view text);

// A positive integer up to 10^12, or nullopt.
std::optional<uint64_t> ParseCount(std::string_view text);

// "person:P1" → {"person", "P1"}; nullopt without a colon or with an empty part.
struct ParsedRef {
  std::string_view kind;
  std::string_view key;
};
std::optional<ParsedRef> ParseRef(std::string_view text);
// The number of a phone reference ("phone: 064/123-4567" → "064/123-4567", trimmed), or nothing
// when `text` (a trimmed cell) is not a phone reference.
std::optional<std::string_view> PhoneReference(std::string_view text);

// Node kinds the v1 contract accepts besides person, phone and address: records with an `id`
// and any other columns.
bool IsGenericNodeKind(std::string_view kind);

// Which node kinds a known link type joins, for a helpful rejection; nullopt for types without
// a rule (other types are accepted between any kinds).
std::optional<std::string> CheckLinkEnds(std::string_view type, std::string_view from_kind,
                                         std::string_view to_kind);

}  // namespace trafnet::engine

#endif  // TRAFNET_ENGINE_SRC_ROW_RULES_H_
