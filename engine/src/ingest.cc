#include "trafnet/engine/ingest.h"

#include <absl/container/flat_hash_map.h>
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <zlib.h>

#include <array>
#include <chrono>
#include <fstream>
#include <optional>
#include <set>

#include "ingest_inputs.h"
#include "row_pipeline.h"
#include "row_rules.h"
#include "trafnet/engine/export.h"
#include "trafnet/engine/progress.h"
#include "trafnet/storage/normalize.h"

namespace trafnet::engine {

namespace {

using storage::Fields;
using storage::MergePolicy;
using storage::NodeChange;
using storage::NodeId;

constexpr size_t kRejectsShown = 20;
constexpr size_t kMaxIdBytes = 256;
constexpr size_t kPhoneEndCacheSize = 4'000'000;

// Columns of the contract, per record kind. Anything else is an extra column. In JSON Lines
// `kind` names the record kind, so an address's or phone's own kind is spelled address_kind or
// phone_kind there.
const std::set<std::string, std::less<>>& KnownColumns(std::string_view kind, bool jsonl) {
  using Set = std::set<std::string, std::less<>>;
  static const Set kPerson = {"id", "name", "birth_date", "gender", "nationality", "status", "source"};
  static const Set kAddress = {"id", "text", "city", "country", "kind", "source"};
  static const Set kPhone = {"number", "country", "kind", "source"};
  static const Set kLink = {"from", "to", "type", "start", "end", "count", "source"};
  static const Set kGeneric = {"id", "source"};
  static const Set kPersonJsonl = {"kind", "id", "name", "birth_date", "gender", "nationality", "status", "source"};
  static const Set kAddressJsonl = {"kind", "id", "text", "city", "country", "address_kind", "source"};
  static const Set kPhoneJsonl = {"kind", "number", "country", "phone_kind", "source"};
  static const Set kLinkJsonl = {"kind", "from", "to", "type", "start", "end", "count", "source"};
  static const Set kGenericJsonl = {"kind", "id", "source"};
  if (kind == "person") return jsonl ? kPersonJsonl : kPerson;
  if (kind == "address") return jsonl ? kAddressJsonl : kAddress;
  if (kind == "phone") return jsonl ? kPhoneJsonl : kPhone;
  if (kind == "link") return jsonl ? kLinkJsonl : kLink;
  return jsonl ? kGenericJsonl : kGeneric;
}

constexpr size_t kMaxSourceBytes = 256;

// The columns a links.csv row is read by, millions of times: by their place in the CSV header,
// found once per file, rather than by name in every row.
enum LinkColumn {
  kFromColumn,
  kToColumn,
  kTypeColumn,
  kStartColumn,
  kEndColumn,
  kCountColumn,
  kSourceColumn,
  kLinkColumns
};
constexpr std::array<std::string_view, kLinkColumns> kLinkColumnNames = {
    "from", "to", "type", "start", "end", "count", "source"};

// A rejected row's field and reason.
struct RowProblem {
  std::string field;
  std::string reason;
};

std::string CsvCell(std::string_view value) {
  bool quote = value.find_first_of(",\"\r\n") != std::string_view::npos;
  if (!quote) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

StatusOr<std::pair<uint64_t, uint32_t>> SizeAndCrc(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError("cannot read " + path.string());
  // zlib's CRC-32 (the one of zip and PNG) runs at several GB/s; a byte-table CRC took 1.7 s of
  // the main thread on the 1M-person world's 704 MB links.csv before its first row was read.
  uLong crc = crc32(0L, Z_NULL, 0);
  std::vector<char> buffer(1 << 20);
  uint64_t size = 0;
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    auto n = static_cast<size_t>(in.gcount());
    crc = crc32(crc, reinterpret_cast<const Bytef*>(buffer.data()), static_cast<uInt>(n));
    size += n;
  }
  if (in.bad()) return IoError("error reading " + path.string());
  return std::make_pair(size, static_cast<uint32_t>(crc));
}

std::string NowIso() {
  auto now = std::chrono::system_clock::now();
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", std::chrono::floor<std::chrono::seconds>(now));
}

class Ingester {
 public:
  Ingester(storage::Store& store, const IngestOptions& options, bool dry_run)
      : store_(store), options_(options), dry_run_(dry_run), phones_(options.region) {}

  Status Run(const InputPlan& plan, IngestSummary& summary, std::ofstream* rejects) {
    summary_ = &summary;
    rejects_ = rejects;
    change_set_ = store_.NewChangeSet();
    for (const auto& file : plan.files) TRAFNET_RETURN_IF_ERROR(IngestFile(file));
    if (!dry_run_) {
      auto started = std::chrono::steady_clock::now();
      {
        StepProgress committing("commit", options_.quiet);
        TRAFNET_RETURN_IF_ERROR(change_set_->Commit(committing.fn()));
        summary.final_commit_steps = committing.steps();
      }
      summary.final_commit_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    }
    const storage::LinkChanges& changes = change_set_->link_changes();
    summary.links_added += changes.links_added;
    summary.observations_added += changes.observations_added;
    summary.observations_updated += changes.observations_updated;
    summary.observations_unchanged += changes.observations_unchanged;
    change_set_.reset();
    return Status::Ok();
  }

 private:
  Status IngestFile(const InputFile& file) {
    FileSummary& fs = summary_->files.emplace_back();
    fs.path = file.path.string();
    fs.kind = file.kind;
    TRAFNET_ASSIGN_OR_RETURN(auto size_crc, SizeAndCrc(file.path));
    fs.bytes = size_crc.first;
    fs.crc32 = size_crc.second;

    auto opened = file.jsonl ? OpenJsonl(file.path, options_.limits) : OpenCsv(file.path, options_.limits);
    if (!opened.ok()) {
      // An empty or headless file is a rejected input, not a reason to stop the others.
      if (opened.status().code() == StatusCode::kInvalidArgument) {
        fs.rejected = true;
        ++summary_->files_rejected;
        AddReject(fs, 0, "", opened.status().message(), /*whole_file=*/true);
        return Status::Ok();
      }
      return opened.status();
    }
    std::unique_ptr<RecordReader> reader = std::move(opened).value();
    std::set<std::string> unknown;
    csv_extra_columns_.clear();
    csv_columns_.fill(-1);
    file_jsonl_ = file.jsonl;
    if (!file.jsonl) {
      const auto& header = reader->header();
      for (size_t c = 0; c < kLinkColumns; ++c) {
        auto at = std::find(header.begin(), header.end(), kLinkColumnNames[c]);
        if (at != header.end()) csv_columns_[c] = static_cast<int>(at - header.begin());
      }
      const auto& known = KnownColumns(file.kind, false);
      for (const auto& column : reader->header()) {
        csv_extra_columns_.push_back(!known.contains(column));
        if (csv_extra_columns_.back()) unknown.insert(column);
      }
    }

    Progress progress((dry_run_ ? "check " : "ingest ") + file.path.filename().string(), fs.bytes,
                      options_.quiet);
    Row row;
    auto opened_at = std::chrono::steady_clock::now();
    size_t next_checkpoint = 0;
    constexpr std::array<double, 3> kCheckpoints = {0.1, 0.5, 1.0};
    auto checkpoint = [&](double fraction) {
      double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - opened_at).count();
      RateCheckpoint previous = fs.rates.empty() ? RateCheckpoint() : fs.rates.back();
      double interval = seconds - previous.seconds;
      fs.rates.push_back(RateCheckpoint{fraction, fs.rows_read, seconds,
                                        interval > 0 ? static_cast<double>(fs.rows_read - previous.rows) / interval : 0});
    };
    // Phone numbers in links are normalised ahead, on the reader's thread, exactly as ResolveEnd
    // would read them; this thread takes the results from the batch.
    auto prepare = [this, &file](const Row& read, PreparedRow& prepared) {
      if (file.kind != "link" && file.kind != "mixed") return;
      auto normalize = [&](std::string_view column, std::optional<StatusOr<storage::NormalizedPhone>>& out) {
        std::string_view value = read.Get(column);
        if (!file.jsonl) value = UnguardFormula(value);
        if (auto number = PhoneReference(Trim(value))) out = phones_.Normalize(*number);
      };
      normalize("from", prepared.from_phone);
      normalize("to", prepared.to_phone);
      if (file.kind == "link") CheckLinkRowAhead(read, prepared);
    };
    RowPipeline pipeline(*reader, prepare);
    const bool has_links = file.kind == "link" || file.kind == "mixed";
    constexpr size_t kPrefetchAhead = 16;  // rows
    while (auto batch = pipeline.Next()) {
      if (has_links) {
        for (size_t i = 0; i < kPrefetchAhead; ++i) PrefetchEnds(*batch, i);
      }
      for (size_t i = 0; i < batch->size(); ++i) {
        if (has_links) PrefetchEnds(*batch, i + kPrefetchAhead);
        const RowBatch::Item& item = batch->item(i);
        ++fs.rows_read;
        ++summary_->rows_read;
        if (item.outcome == ReadOutcome::kError) {
          AddReject(fs, item.error.line, item.error.field, item.error.reason);
        } else {
          batch->View(i, row);
          HandleReadRow(file, row, batch->prepared(i), fs, unknown);
          TRAFNET_RETURN_IF_ERROR(fatal_);
        }
        if (!dry_run_ && change_set_->pending_operations() >= options_.commit_every) {
          StepProgress committing("commit", options_.quiet);
          TRAFNET_RETURN_IF_ERROR(change_set_->Commit(committing.fn()));
        } else if (!dry_run_ && change_set_->pending_nodes() >= options_.commit_nodes_every) {
          // The node commit runs on another thread while the next rows are handled. (In a file
          // of links both cores are busy already; until the eleventh session's lighter rows a
          // commit beside them made links.csv of the 1M-person world slower, so there it ran in
          // line. Now it is faster beside them: 16.0-17.2 s against 16.8-19.1 s, alternating.)
          TRAFNET_RETURN_IF_ERROR(change_set_->CommitNodesInBackground());
        }
      }
      progress.Update(batch->bytes_read, fs.rows_read);
      double fraction = fs.bytes > 0 ? static_cast<double>(batch->bytes_read) / static_cast<double>(fs.bytes) : 1;
      if (next_checkpoint + 1 < kCheckpoints.size() && fraction >= kCheckpoints[next_checkpoint]) {
        checkpoint(kCheckpoints[next_checkpoint++]);
      }
      pipeline.Recycle(std::move(batch));
    }
    checkpoint(1.0);
    progress.Finish();
    fs.unknown_columns.assign(unknown.begin(), unknown.end());
    return Status::Ok();
  }

  void HandleReadRow(const InputFile& file, Row& row, const PreparedRow& prepared, FileSummary& fs,
                     std::set<std::string>& unknown) {
    if (!file.jsonl) {
      for (auto& value : row.values) value = UnguardFormula(value);
    }
    std::string_view kind = file.kind;
    if (file.jsonl && kind == "mixed") kind = Trim(row.Get("kind"));
    if (file.jsonl) {
      const auto& known = KnownColumns(kind, true);
      for (auto name : row.names) {
        if (!known.contains(name)) unknown.emplace(name);
      }
    }
    std::optional<RowProblem> problem = HandleRow(row, prepared, kind, file.jsonl);
    if (problem && fatal_.ok()) AddReject(fs, row.line, problem->field, problem->reason);
  }

  void AddReject(FileSummary& fs, uint64_t line, std::string_view field, std::string_view reason,
                 bool whole_file = false) {
    if (!whole_file) {
      ++fs.rows_rejected;
      ++summary_->rows_rejected;
    }
    if (summary_->rejects_shown.size() < kRejectsShown) {
      summary_->rejects_shown.push_back(
          Reject{fs.path, line, std::string(field), std::string(reason)});
    }
    if (rejects_ != nullptr) {
      *rejects_ << CsvCell(GuardFormula(fs.path)) << ',' << line << ',' << CsvCell(GuardFormula(field))
                << ',' << CsvCell(GuardFormula(reason)) << '\n';
    }
  }

  // A link column of a row of the file being read (empty when it has none).
  std::string_view Column(const Row& row, LinkColumn column) const {
    if (file_jsonl_) return row.Get(kLinkColumnNames[column]);
    const int at = csv_columns_[column];
    return at >= 0 && static_cast<size_t>(at) < row.values.size()
               ? row.values[static_cast<size_t>(at)]
               : std::string_view();
  }
  // The same of item i of a batch, without viewing the whole row.
  std::string_view Column(const RowBatch& batch, size_t i, LinkColumn column) const {
    return file_jsonl_ ? batch.Get(i, kLinkColumnNames[column])
                       : batch.Value(i, csv_columns_[column]);
  }

  // Validates the row whole, then writes it; a problem means nothing of the row was written.
  std::optional<RowProblem> HandleRow(const Row& row, const PreparedRow& prepared, std::string_view kind,
                                      bool jsonl) {
    jsonl_ = jsonl;
    if (!prepared.checked) {
      if (auto problem = CheckValuesAndSource(row)) return problem;
    }
    source_ = Trim(Column(row, kSourceColumn));
    if (kind == "person") return HandlePerson(row);
    if (kind == "address") return HandleAddress(row, jsonl);
    if (kind == "phone") return HandlePhone(row, jsonl);
    if (kind == "link") return HandleLink(row, prepared);
    if (IsGenericNodeKind(kind)) return HandleGeneric(row, kind);
    if (kind.empty()) return RowProblem{"kind", "missing kind"};
    return RowProblem{"kind", "unknown kind '" + std::string(kind) + "'"};
  }

  // The checks every row passes first, in this order: each value is UTF-8 without NUL bytes,
  // and the source is short and has no control characters. Reads no state but the file's
  // columns, so the reader thread can run it too (CheckLinkRowAhead).
  std::optional<RowProblem> CheckValuesAndSource(const Row& row) const {
    for (size_t i = 0; i < row.values.size(); ++i) {
      if (!storage::IsValidUtf8(row.values[i]))
        return RowProblem{std::string(row.names[i]), "invalid UTF-8"};
      if (row.values[i].find('\0') != std::string_view::npos) {
        return RowProblem{std::string(row.names[i]), "NUL byte in value"};
      }
    }
    std::string_view source = Trim(Column(row, kSourceColumn));
    if (source.size() > kMaxSourceBytes) {
      return RowProblem{"source", fmt::format("source longer than {} bytes", kMaxSourceBytes)};
    }
    if (HasControlCharacters(source)) return RowProblem{"source", "control character in source"};
    return std::nullopt;
  }

  // On the reader thread, for a row of a link file: whether every check of the row that needs
  // no lookup passes (CheckValuesAndSource, ParseEnd of both ends, CheckLinkFields), so that
  // the main thread, which is the ingest's bottleneck, can skip them. A row that fails any is
  // checked again in full on the main thread, which reports its first problem in the usual
  // order (a reference to a missing node before a bad date).
  void CheckLinkRowAhead(const Row& read, PreparedRow& prepared) {
    const Row* row = &read;
    if (!file_jsonl_) {
      // As HandleReadRow sees the row: without the formula guard of exported cells.
      ahead_row_.names = read.names;
      ahead_row_.values.resize(read.values.size());
      for (size_t i = 0; i < read.values.size(); ++i)
        ahead_row_.values[i] = UnguardFormula(read.values[i]);
      row = &ahead_row_;
    }
    ParsedRef from, to;
    uint64_t count = 1;
    prepared.checked = !CheckValuesAndSource(*row) &&
                       !ParseEnd(*row, kFromColumn, prepared.from_phone, from) &&
                       !ParseEnd(*row, kToColumn, prepared.to_phone, to) &&
                       !CheckLinkFields(*row, from.kind, to.kind, count);
    prepared.count = count;
  }

  std::optional<RowProblem> CheckId(std::string_view id) {
    if (id.empty()) return RowProblem{"id", "empty id"};
    if (id.size() > kMaxIdBytes) return RowProblem{"id", fmt::format("id longer than {} bytes", kMaxIdBytes)};
    if (HasControlCharacters(id)) return RowProblem{"id", "control character in id"};
    return std::nullopt;
  }

  // Columns outside the contract, kept as attributes. A CSV file's are known from its header.
  void AddExtras(const Row& row, std::string_view kind, Fields& fields) {
    if (!jsonl_ && row.names.size() == csv_extra_columns_.size()) {
      for (size_t i = 0; i < row.names.size(); ++i) {
        if (csv_extra_columns_[i]) fields.emplace_back(std::string(row.names[i]), std::string(row.values[i]));
      }
      return;
    }
    const auto& known = KnownColumns(kind, jsonl_);
    for (size_t i = 0; i < row.names.size(); ++i) {
      if (known.contains(row.names[i])) continue;
      fields.emplace_back(std::string(row.names[i]), std::string(row.values[i]));
    }
  }

  std::optional<RowProblem> Upsert(std::string_view kind, std::string_view key, Fields fields,
                                   Fields derived, std::string_view source, MergePolicy policy,
                                   std::string_view key_field, NodeId* id = nullptr) {
    auto result = change_set_->UpsertNode(kind, key, std::move(fields), std::move(derived), source, policy);
    if (!result.ok()) {
      if (result.status().code() == StatusCode::kInvalidArgument) {
        return RowProblem{std::string(key_field), result.status().message()};
      }
      fatal_ = result.status();
      return RowProblem{std::string(key_field), result.status().ToString()};
    }
    if (id != nullptr) *id = result->id;
    switch (result->change) {
      case NodeChange::kAdded: ++summary_->nodes_added; break;
      case NodeChange::kMerged: ++summary_->nodes_merged; break;
      case NodeChange::kUnchanged: ++summary_->nodes_unchanged; break;
    }
    return std::nullopt;
  }

  std::optional<RowProblem> HandlePerson(const Row& row) {
    std::string_view id = Trim(row.Get("id"));
    if (auto problem = CheckId(id)) return problem;
    std::string_view birth_date = Trim(row.Get("birth_date"));
    if (!birth_date.empty() && !IsIsoDate(birth_date)) {
      return RowProblem{"birth_date", "'" + std::string(birth_date) + "' is not a date YYYY-MM-DD"};
    }
    std::string gender(Trim(row.Get("gender")));
    for (auto& c : gender) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (!gender.empty() && gender != "F" && gender != "M" && gender != "X") {
      return RowProblem{"gender", "'" + gender + "' is not F, M or X"};
    }
    std::string nationality(Trim(row.Get("nationality")));
    for (auto& c : nationality) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (!nationality.empty() && !IsCountryCode(nationality)) {
      return RowProblem{"nationality", "'" + nationality + "' is not an ISO 3166 alpha-2 code"};
    }
    std::string status(Trim(row.Get("status")));
    for (auto& c : status) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!status.empty() && status != "victim" && status != "suspect" && status != "convicted" &&
        status != "witness") {
      return RowProblem{"status", "'" + status + "' is not victim, suspect, convicted or witness"};
    }
    std::string name = storage::ToNfc(Trim(row.Get("name")));
    Fields fields = {{"name", name},
                     {"birth_date", std::string(birth_date)},
                     {"gender", gender},
                     {"nationality", nationality},
                     {"status", status}};
    AddExtras(row, "person", fields);
    Fields derived;
    if (!name.empty()) derived.emplace_back(storage::kNameKeyField, names_.Key(name));
    return Upsert(storage::kPersonKind, id, std::move(fields), std::move(derived),
                  source_, MergePolicy::kRejectConflicts, "id");
  }

  std::optional<RowProblem> HandleAddress(const Row& row, bool jsonl) {
    std::string_view id = Trim(row.Get("id"));
    if (auto problem = CheckId(id)) return problem;
    std::string country(Trim(row.Get("country")));
    for (auto& c : country) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (!country.empty() && !IsCountryCode(country)) {
      return RowProblem{"country", "'" + country + "' is not an ISO 3166 alpha-2 code"};
    }
    std::string text = storage::ToNfc(Trim(row.Get("text")));
    std::string city = storage::ToNfc(Trim(row.Get("city")));
    std::string_view address_kind = Trim(row.Get(jsonl ? "address_kind" : "kind"));
    Fields fields = {{"text", text}, {"city", city}, {"country", country},
                     {"kind", std::string(address_kind)}};
    AddExtras(row, "address", fields);
    Fields derived;
    std::string key = addresses_.Key(city.empty() ? text : text + " " + city);
    if (!key.empty()) derived.emplace_back(storage::kAddressKeyField, std::move(key));
    return Upsert(storage::kAddressKind, id, std::move(fields), std::move(derived),
                  source_, MergePolicy::kRejectConflicts, "id");
  }

  // The phone's key (the default region's normaliser remembers the numbers it has seen).
  StatusOr<storage::NormalizedPhone> NormalizePhone(std::string_view raw, std::string_view region) {
    if (!region.empty() && region != phones_.default_region()) {
      return storage::PhoneNormalizer(std::string(region)).Normalize(raw);
    }
    return phones_.Normalize(raw);
  }

  Fields PhoneDerived(const storage::NormalizedPhone& phone, std::string_view raw) {
    bool valid = phone.quality == storage::PhoneQuality::kValid;
    if (!valid) ++summary_->invalid_phones;
    return {{"quality", valid ? "valid" : "invalid"}, {"region", phone.region}, {"raw", std::string(raw)}};
  }

  std::optional<RowProblem> HandlePhone(const Row& row, bool jsonl) {
    std::string_view number = Trim(row.Get("number"));
    if (number.empty()) return RowProblem{"number", "empty number"};
    std::string country(Trim(row.Get("country")));
    for (auto& c : country) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (!country.empty() && !IsCountryCode(country)) {
      return RowProblem{"country", "'" + country + "' is not an ISO 3166 alpha-2 code"};
    }
    auto phone = NormalizePhone(number, country);
    if (!phone.ok()) return RowProblem{"number", phone.status().message()};
    Fields fields = {{"country", country}, {"kind", std::string(Trim(row.Get(jsonl ? "phone_kind" : "kind")))}};
    AddExtras(row, "phone", fields);
    return Upsert(storage::kPhoneKind, phone->key, std::move(fields), PhoneDerived(*phone, number),
                  source_, MergePolicy::kRejectConflicts, "number");
  }

  std::optional<RowProblem> HandleGeneric(const Row& row, std::string_view kind) {
    std::string_view id = Trim(row.Get("id"));
    if (auto problem = CheckId(id)) return problem;
    Fields fields;
    AddExtras(row, kind, fields);
    return Upsert(kind, id, std::move(fields), {}, source_,
                  MergePolicy::kRejectConflicts, "id");
  }

  // A link end: an existing node, or a phone to create once the whole row is known to be good.
  struct End {
    std::string_view kind;
    std::optional<NodeId> id;
    std::optional<storage::NormalizedPhone> phone;
    bool settled = false;  // a phone an earlier row already brought up to date
    std::string_view raw;
  };

  // The bit of `source` in PhoneEnd::sources. Past 64 sources the cache starts again.
  uint64_t SourceBit(std::string_view source) {
    if (last_source_ < phone_end_sources_.size() && phone_end_sources_[last_source_] == source) {
      return uint64_t{1} << last_source_;
    }
    auto found = std::find(phone_end_sources_.begin(), phone_end_sources_.end(), source);
    if (found == phone_end_sources_.end()) {
      if (phone_end_sources_.size() == 64) {
        phone_end_sources_.clear();
        phone_ends_.clear();
      }
      found = phone_end_sources_.emplace(phone_end_sources_.end(), source);
    }
    last_source_ = static_cast<size_t>(found - phone_end_sources_.begin());
    return uint64_t{1} << last_source_;
  }

  // Starts loading the table entries that row `i` of the batch will look its link ends up in,
  // some rows before it is handled: each lookup is a cache miss in a table of millions, and the
  // main thread otherwise waits for every one in turn.
  void PrefetchEnds(const RowBatch& batch, size_t i) {
    if (i >= batch.size() || batch.item(i).outcome != ReadOutcome::kRow) return;
    const PreparedRow& prepared = batch.prepared(i);
    for (const auto& [column, phone] :
         {std::pair{kFromColumn, &prepared.from_phone}, std::pair{kToColumn, &prepared.to_phone}}) {
      if (phone->has_value()) {
        if ((*phone)->ok()) phone_ends_.prefetch((*phone)->value().key);
        continue;
      }
      auto ref = ParseRef(Trim(Column(batch, i, column)));
      if (ref) change_set_->PrefetchNode(ref->kind, Trim(ref->key));
    }
  }

  // What a link end says without looking anything up: a reference of a known kind, and for a
  // phone a number that normalises (`normalized`, the reader thread's reading of it; a phone end
  // without one fails). Sets `ref`, its key trimmed.
  std::optional<RowProblem> ParseEnd(
      const Row& row, LinkColumn column,
      const std::optional<StatusOr<storage::NormalizedPhone>>& normalized, ParsedRef& ref) const {
    const std::string_view field = kLinkColumnNames[column];
    std::string_view text = Trim(Column(row, column));
    if (text.empty()) return RowProblem{std::string(field), "empty reference"};
    auto parsed = ParseRef(text);
    if (!parsed) {
      return RowProblem{std::string(field), "'" + std::string(text) + "' is not a reference like person:P1, phone:0641234567 or address:A1"};
    }
    ref = ParsedRef{parsed->kind, Trim(parsed->key)};
    if (ref.kind == storage::kPhoneKind) {
      if (!normalized) return RowProblem{std::string(field), "phone number not normalised"};
      if (!normalized->ok()) return RowProblem{std::string(field), normalized->status().message()};
      return std::nullopt;
    }
    if (ref.kind != storage::kPersonKind && ref.kind != storage::kAddressKind &&
        !IsGenericNodeKind(ref.kind)) {
      return RowProblem{std::string(field), "unknown kind '" + std::string(ref.kind) +
                                                "' in reference " + std::string(text)};
    }
    return std::nullopt;
  }

  // `normalized` is the reader thread's reading of a phone end (see PhoneReference), if any.
  std::optional<RowProblem> ResolveEnd(
      const Row& row, LinkColumn column,
      const std::optional<StatusOr<storage::NormalizedPhone>>& normalized, End& end) {
    const std::string_view field = kLinkColumnNames[column];
    std::optional<StatusOr<storage::NormalizedPhone>> own;
    const auto* phone = &normalized;
    if (!normalized) {
      // Not normalised ahead (the reader normalises every phone end of link and mixed files,
      // so only a caller that skipped it gets here): normalised now if it is a phone.
      if (auto number = PhoneReference(Trim(Column(row, column))))
        own = NormalizePhone(*number, {});
      phone = &own;
    }
    ParsedRef ref;
    if (auto problem = ParseEnd(row, column, *phone, ref)) return problem;
    end.kind = ref.kind;
    end.raw = ref.key;
    if (ref.kind == storage::kPhoneKind) {
      end.phone = (*phone)->value();
      auto settled = phone_ends_.find(end.phone->key);
      if (settled != phone_ends_.end() && (settled->second.sources & row_source_bit_) != 0) {
        end.settled = true;
        end.id = settled->second.id;
      }
      return std::nullopt;
    }
    auto found = change_set_->FindNode(ref.kind, end.raw);
    if (!found.ok()) {
      fatal_ = found.status();
      return RowProblem{std::string(field), found.status().ToString()};
    }
    if (!*found) {
      return RowProblem{std::string(field), "unknown reference " +
                                                std::string(Trim(Column(row, column))) +
                                                ": no such " + std::string(ref.kind)};
    }
    end.id = **found;
    return std::nullopt;
  }

  // A link row's own fields, once its ends' kinds are known: the type (and the kinds it joins),
  // the dates and the count, which it sets (1 when empty). Reads no state but the file's columns.
  std::optional<RowProblem> CheckLinkFields(const Row& row, std::string_view from_kind,
                                            std::string_view to_kind, uint64_t& count) const {
    std::string_view type = Trim(Column(row, kTypeColumn));
    if (type.empty()) return RowProblem{"type", "empty link type"};
    if (!storage::IsValidLinkType(type)) {
      return RowProblem{"type",
                        "'" + std::string(type) + "' is not an upper-case word like CALLED"};
    }
    if (auto wrong = CheckLinkEnds(type, from_kind, to_kind)) return RowProblem{"type", *wrong};
    std::string_view start = Trim(Column(row, kStartColumn));
    std::string_view end = Trim(Column(row, kEndColumn));
    if (!start.empty() && !IsIsoDateOrDateTime(start)) {
      return RowProblem{"start", "'" + std::string(start) + "' is not an ISO date or datetime"};
    }
    if (!end.empty() && !IsIsoDateOrDateTime(end)) {
      return RowProblem{"end", "'" + std::string(end) + "' is not an ISO date or datetime"};
    }
    if (!start.empty() && !end.empty() && end.substr(0, 10) < start.substr(0, 10)) {
      return RowProblem{"end",
                        "end " + std::string(end) + " is before start " + std::string(start)};
    }
    count = 1;
    std::string_view count_text = Trim(Column(row, kCountColumn));
    if (!count_text.empty()) {
      auto parsed = ParseCount(count_text);
      if (!parsed)
        return RowProblem{"count", "'" + std::string(count_text) + "' is not a positive integer"};
      count = *parsed;
    }
    return std::nullopt;
  }

  std::optional<RowProblem> HandleLink(const Row& row, const PreparedRow& prepared) {
    // Before any lookup in phone_ends_, which a new source past the 64th empties.
    row_source_bit_ = SourceBit(source_);
    End from, to;
    if (auto problem = ResolveEnd(row, kFromColumn, prepared.from_phone, from)) return problem;
    if (auto problem = ResolveEnd(row, kToColumn, prepared.to_phone, to)) return problem;
    uint64_t count = prepared.count;
    if (!prepared.checked) {
      if (auto problem = CheckLinkFields(row, from.kind, to.kind, count)) return problem;
    }
    std::string_view type = Trim(Column(row, kTypeColumn));
    storage::Observation& obs = obs_;
    obs.start.assign(Trim(Column(row, kStartColumn)));
    obs.end.assign(Trim(Column(row, kEndColumn)));
    obs.count = count;
    obs.extra.clear();
    obs.source.assign(source_);
    AddExtras(row, "link", obs.extra);

    // The row is good: create phone ends, then the observation.
    for (End* end : {&from, &to}) {
      if (!end->phone) continue;
      bool respelled = end->raw != end->phone->key;
      if (respelled) obs.extra.emplace_back(end == &from ? "from_raw" : "to_raw", std::string(end->raw));
      if (end->settled) {
        // The upsert below would change nothing; count it as it would.
        if (end->phone->quality != storage::PhoneQuality::kValid) ++summary_->invalid_phones;
        ++summary_->nodes_unchanged;
        continue;
      }
      NodeId id = 0;
      if (auto problem = Upsert(storage::kPhoneKind, end->phone->key, {}, PhoneDerived(*end->phone, end->raw),
                                obs.source, MergePolicy::kKeepExisting, end == &from ? "from" : "to", &id)) {
        return problem;
      }
      end->id = id;
      if (phone_ends_.size() >= kPhoneEndCacheSize) phone_ends_.clear();
      PhoneEnd& settled = phone_ends_[end->phone->key];
      settled.id = id;
      settled.sources |= row_source_bit_;
    }
    if (dry_run_) return std::nullopt;
    Status put = change_set_->PutLink(*from.id, type, *to.id, obs);
    if (!put.ok()) {
      if (put.code() != StatusCode::kInvalidArgument) fatal_ = put;
      return RowProblem{"type", put.message()};
    }
    return std::nullopt;
  }

 public:
  Status fatal() const { return fatal_; }

 private:
  storage::Store& store_;
  const IngestOptions& options_;
  bool dry_run_;
  storage::PhoneNormalizer phones_;
  storage::NameKeyer names_;
  storage::AddressKeyer addresses_;
  std::unique_ptr<storage::ChangeSet> change_set_;
  // Phones (by key) a link row has already created or brought up to date, with the sources
  // (bits of phone_end_sources_) it did so for: the same upsert again, from any spelling of the
  // number, would change nothing. Keyed by the key alone, which fits std::string's inline
  // buffer, a lookup is one cache miss.
  struct PhoneEnd {
    NodeId id = 0;
    uint64_t sources = 0;
  };
  absl::flat_hash_map<std::string, PhoneEnd> phone_ends_;
  std::vector<std::string> phone_end_sources_;  // at most 64
  size_t last_source_ = 0;
  uint64_t row_source_bit_ = 0;  // SourceBit of the link row being handled
  IngestSummary* summary_ = nullptr;
  // The row being handled: its file's format and its trimmed source.
  bool jsonl_ = false;
  // Per column of the CSV file being read: whether it is outside the contract (an extra).
  std::vector<bool> csv_extra_columns_;
  // Where the CSV file being read has each link column (-1: nowhere, or a JSON Lines file).
  std::array<int, kLinkColumns> csv_columns_{};
  bool file_jsonl_ = false;
  // The observation of the link row being handled (kept to reuse its strings' memory).
  storage::Observation obs_;
  // The reader thread's copy of the row it checks ahead (CheckLinkRowAhead), unguarded.
  Row ahead_row_;
  std::string_view source_;
  std::ofstream* rejects_ = nullptr;
  Status fatal_;
};

}  // namespace

StatusOr<IngestSummary> Ingest(storage::Store& store,
                               const std::vector<std::filesystem::path>& inputs,
                               const IngestOptions& options) {
  auto started = std::chrono::steady_clock::now();
  TRAFNET_ASSIGN_OR_RETURN(InputPlan plan, PlanInputs(inputs));
  IngestSummary summary;
  summary.started_at = NowIso();
  summary.ignored_files = plan.ignored;
  std::error_code ec;
  std::filesystem::create_directories(options.report_dir, ec);
  if (ec) return IoError("cannot create report folder " + options.report_dir.string() + ": " + ec.message());

  if (options.strict) {
    // Validate everything without writing; any bad row aborts with the store untouched.
    auto stamp = fmt::format("ingest-aborted-{}", std::chrono::duration_cast<std::chrono::seconds>(
                                                      std::chrono::system_clock::now().time_since_epoch())
                                                      .count());
    auto rejects_path = options.report_dir / (stamp + "-rejects.csv");
    std::ofstream rejects(rejects_path);
    if (!rejects) return IoError("cannot write " + rejects_path.string());
    rejects << "file,line,field,reason\n";
    IngestSummary check;
    check.started_at = summary.started_at;
    check.ignored_files = plan.ignored;
    Ingester checker(store, options, /*dry_run=*/true);
    TRAFNET_RETURN_IF_ERROR(checker.Run(plan, check, &rejects));
    TRAFNET_RETURN_IF_ERROR(checker.fatal());
    rejects.close();
    if (check.rows_rejected > 0 || check.files_rejected > 0) {
      check.aborted = true;
      check.rejects_path = rejects_path;
      check.summary_path = options.report_dir / (stamp + "-summary.json");
      check.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      check.finished_at = NowIso();
      std::ofstream(check.summary_path) << check.ToJson() << '\n';
      return check;
    }
    std::filesystem::remove(rejects_path, ec);
  }

  if (!store.HasNameWordIndex()) {
    // A store written before the name-word index (docs/storage.md): index its persons first,
    // so that this run leaves the index whole. On an empty store this only marks it.
    StepProgress indexing("name-word index of the persons already stored", options.quiet);
    TRAFNET_RETURN_IF_ERROR(store.BuildNameWordIndex(indexing.fn()).status());
  }
  if (!store.HasLinkSummaries()) {
    // Likewise the link summaries (docs/storage.md) of a store written before they existed.
    StepProgress summing("link summaries of the links already stored", options.quiet);
    TRAFNET_RETURN_IF_ERROR(store.BuildLinkSummaries(summing.fn()).status());
  }
  if (!store.HasNodeHeads()) {
    // And the node heads (docs/storage.md).
    StepProgress heading("node heads of the nodes already stored", options.quiet);
    TRAFNET_RETURN_IF_ERROR(store.BuildNodeHeads(heading.fn()).status());
  }

  TRAFNET_ASSIGN_OR_RETURN(summary.run, store.BeginIngestRun(fmt::format(
                                            R"({{"started_at":"{}","status":"running"}})", summary.started_at)));
  std::string stamp = fmt::format("ingest-{:06}", summary.run);
  summary.rejects_path = options.report_dir / (stamp + "-rejects.csv");
  summary.summary_path = options.report_dir / (stamp + "-summary.json");
  std::ofstream rejects(summary.rejects_path);
  if (!rejects) return IoError("cannot write " + summary.rejects_path.string());
  rejects << "file,line,field,reason\n";
  Ingester ingester(store, options, /*dry_run=*/false);
  TRAFNET_RETURN_IF_ERROR(ingester.Run(plan, summary, &rejects));
  TRAFNET_RETURN_IF_ERROR(ingester.fatal());
  rejects.close();
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  summary.finished_at = NowIso();
  std::string json = summary.ToJson();
  TRAFNET_RETURN_IF_ERROR(store.FinishIngestRun(summary.run, json));
  std::ofstream(summary.summary_path) << json << '\n';
  return summary;
}

}  // namespace trafnet::engine
