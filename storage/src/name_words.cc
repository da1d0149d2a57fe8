// The name-word index: reads of name_index's word entries, and building them for a store
// written before they existed (the layout is in docs/storage.md, the writes in change_set.cc).
#include <rocksdb/write_batch.h>

#include "index_build.h"
#include "step_reporter.h"
#include "store_impl.h"

namespace trafnet::storage {

namespace {

// Word entries written per WriteBatch while building: bounds memory, and each batch is whole
// or absent after a crash (the index stays marked incomplete until the last one).

}  // namespace

bool Store::HasNameWordIndex() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->name_word_index;
}

Status StoreReader::ForEachByNameWord(
    std::string_view word, std::string_view partner_prefix, size_t limit,
    const std::function<void(std::string_view name_key, NodeId node)>& fn) {
  std::string prefix;
  prefix.push_back('\0');
  prefix.append(word);
  prefix.push_back('\0');
  prefix.append(partner_prefix);
  const rocksdb::Slice wanted(prefix);
  rocksdb::Iterator* it = impl_->Iterator(kNameIndexCf);
  size_t seen = 0;
  for (it->Seek(wanted); it->Valid() && it->key().starts_with(wanted) && seen < limit;
       it->Next(), ++seen) {
    codec::NameWordParts parts;
    if (!codec::ParseNameWordKey(std::string_view(it->key().data(), it->key().size()), parts))
      return CorruptionError("bad name word entry for '" + std::string(word) + "'");
    fn(std::string_view(it->value().data(), it->value().size()), parts.id);
  }
  return FromRocks(it->status(), "scan name words");
}

StatusOr<std::vector<std::string>> StoreReader::NameWordsWithPrefix(std::string_view prefix,
                                                                    size_t limit) {
  std::string wanted;
  wanted.push_back('\0');
  wanted.append(prefix);
  rocksdb::Iterator* it = impl_->Iterator(kNameIndexCf);
  std::vector<std::string> words;
  std::string next = wanted;
  while (words.size() < limit) {
    it->Seek(next);
    if (!it->Valid() || !it->key().starts_with(wanted)) break;
    codec::NameWordParts parts;
    if (!codec::ParseNameWordKey(std::string_view(it->key().data(), it->key().size()), parts))
      return CorruptionError("bad name word entry after '" + std::string(prefix) + "'");
    words.emplace_back(parts.word);
    // Past every entry of this word: \0 word \1 sorts after all \0 word \0 ….
    next.assign(1, '\0');
    next.append(parts.word);
    next.push_back('\1');
  }
  TRAFNET_RETURN_IF_ERROR(FromRocks(it->status(), "scan name words"));
  return words;
}

StatusOr<std::vector<std::pair<std::string, NodeId>>> Store::FindByNameWord(
    std::string_view word, std::string_view partner_prefix, size_t limit) const {
  std::vector<std::pair<std::string, NodeId>> found;
  TRAFNET_RETURN_IF_ERROR(NewReader()->ForEachByNameWord(
      word, partner_prefix, limit,
      [&found](std::string_view name_key, NodeId node) { found.emplace_back(name_key, node); }));
  return found;
}

StatusOr<std::vector<std::string>> Store::NameWordsWithPrefix(std::string_view prefix,
                                                              size_t limit) const {
  return NewReader()->NameWordsWithPrefix(prefix, limit);
}

StatusOr<uint64_t> Store::BuildNameWordIndex(const StepProgressFn& progress) {
  TRAFNET_ASSIGN_OR_RETURN(auto build, IndexBuild::Begin(*impl_, "the name-word index"));
  StepReporter reporter(progress);
  reporter.Begin("reading nodes", impl_->CountsNow().nodes);
  // Nodes are only added, and a name key never changes once stored, so the entries of a
  // snapshot's nodes stay right.
  rocksdb::ReadOptions read_options;
  read_options.fill_cache = false;
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(read_options, impl_->cf[kNodesCf]));
  uint64_t persons = 0;
  NodeRecord node;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    if (it->key().size() != 8) return CorruptionError("bad node key");
    reporter.Tick();
    const NodeId id = codec::GetBigEndian64(std::string_view(it->key().data(), 8));
    TRAFNET_RETURN_IF_ERROR(
        codec::DecodeNode(id, std::string_view(it->value().data(), it->value().size()), node));
    const std::string_view name_key = FieldValue(node.fields, kNameKeyField);
    if (name_key.empty()) continue;
    ++persons;
    for (const std::string& key : codec::NameWordKeys(name_key, id)) {
      TRAFNET_RETURN_IF_ERROR(build->Put(kNameIndexCf, key, name_key));
    }
  }
  TRAFNET_RETURN_IF_ERROR(FromRocks(it->status(), "scan nodes"));
  reporter.End();
  // Flushed: otherwise every later open, read-only ones included, would replay the entries
  // from the write-ahead log (some 90 MB for a 1M-person store, 15 s).
  TRAFNET_RETURN_IF_ERROR(
      build->Complete(kNameIndexCf, kMetaNameWordIndex, &Store::Impl::name_word_index));
  return persons;
}

}  // namespace trafnet::storage
