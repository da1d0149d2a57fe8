#include "trafnet/engine/vertex_strings.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace trafnet::engine {
namespace {

// Both columns read back exactly what a vector of strings would hold, empty strings included,
// and compare equal exactly when those vectors would.
TEST(VertexStringsTest, ColumnsReadBackWhatWasPushed) {
  std::mt19937 rng(5);
  const std::vector<std::string> labels = {"person", "", "phone", "address", "victim", "x"};
  std::vector<std::string> expected_ids, expected_labels;
  StringColumn ids;
  LabelColumn column;
  for (int i = 0; i < 5000; ++i) {
    std::string id(rng() % 20, static_cast<char>('a' + rng() % 26));  // some empty
    const std::string& label = labels[rng() % 3 == 0 ? rng() % labels.size() : 0];
    ids.push_back(id);
    column.push_back(label);
    expected_ids.push_back(id);
    expected_labels.push_back(label);
  }
  ASSERT_EQ(ids.size(), expected_ids.size());
  ASSERT_EQ(column.size(), expected_labels.size());
  for (size_t i = 0; i < expected_ids.size(); ++i) {
    EXPECT_EQ(ids[i], expected_ids[i]) << i;
    EXPECT_EQ(column[i], expected_labels[i]) << i;
  }
  StringColumn same_ids;
  LabelColumn same_labels;
  for (const auto& id : expected_ids) same_ids.push_back(id);
  // The same labels first seen in another order: still equal, value by value.
  same_labels.push_back("phone");
  LabelColumn other_order;
  for (const auto& label : expected_labels) other_order.push_back(label);
  EXPECT_TRUE(same_ids == ids);
  EXPECT_TRUE(other_order == column);
  same_ids.push_back("");
  EXPECT_FALSE(same_ids == ids);
  LabelColumn changed;
  for (size_t i = 0; i < expected_labels.size(); ++i)
    changed.push_back(i == 17 ? "suspect" : expected_labels[i]);
  EXPECT_FALSE(changed == column);
  EXPECT_TRUE(StringColumn().empty());
  EXPECT_TRUE(LabelColumn().empty());
}

}  // namespace
}  // namespace trafnet::engine
