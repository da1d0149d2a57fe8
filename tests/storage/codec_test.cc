#include "../../storage/src/codec.h"

#include <gtest/gtest.h>

namespace trafnet::storage::codec {
namespace {

TEST(CodecTest, BigEndianKeysSortNumerically) {
  EXPECT_LT(NodeIdKey(1), NodeIdKey(256));
  EXPECT_LT(NodeIdKey(255), NodeIdKey(256));
  EXPECT_EQ(GetBigEndian64(NodeIdKey(0x0102030405060708ULL)), 0x0102030405060708ULL);
}

TEST(CodecTest, NodeRoundTrips) {
  NodeRecord node;
  node.kind = "person";
  node.key = "P1";
  node.fields = {{"name", "Ђорђе"}, {"empty", ""}};
  node.sources = {"BIA", "MUP"};
  NodeRecord back;
  ASSERT_TRUE(DecodeNode(7, EncodeNode(node), back).ok());
  EXPECT_EQ(back.id, 7u);
  EXPECT_EQ(back.kind, node.kind);
  EXPECT_EQ(back.fields, node.fields);
  EXPECT_EQ(back.sources, node.sources);
}

TEST(CodecTest, TruncatedNodeIsCorruptionNotACrash) {
  NodeRecord node;
  node.kind = "person";
  node.key = "P1";
  node.fields = {{"name", "Ana"}};
  std::string encoded = EncodeNode(node);
  for (size_t size = 0; size < encoded.size(); ++size) {
    NodeRecord back;
    EXPECT_FALSE(DecodeNode(1, encoded.substr(0, size), back).ok()) << size;
  }
}

TEST(CodecTest, ObservationKeyRoundTrips) {
  Observation obs;
  obs.source = "MUP";
  obs.start = "2024-01-01";
  obs.end = "2024-02-01T10:00";
  std::string key = ObservationKey(3, 2, 9, obs);
  AdjacencyParts parts;
  Observation back;
  ASSERT_TRUE(ParseObservationKey(key, parts, back));
  EXPECT_EQ(parts.a, 3u);
  EXPECT_EQ(parts.type, 2u);
  EXPECT_EQ(parts.b, 9u);
  EXPECT_EQ(back.source, "MUP");
  EXPECT_EQ(back.start, "2024-01-01");
  EXPECT_EQ(back.end, "2024-02-01T10:00");
}

}  // namespace
}  // namespace trafnet::storage::codec
