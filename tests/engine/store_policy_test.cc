#include "trafnet/engine/store_policy.h"

#include <gtest/gtest.h>

#include "support/temp_dir.h"

namespace trafnet::engine {
namespace {

using trafnet::testing::TempDir;
using trafnet::testing::WriteFile;

TEST(StorePolicyTest, AbsentMeansTheDefaultsAndWritesReadBack) {
  TempDir dir;
  auto policy = ReadStorePolicy(dir.path());
  ASSERT_TRUE(policy.ok());
  EXPECT_FALSE(policy->require_case);
  ASSERT_TRUE(WriteStorePolicy(dir.path(), StorePolicy{.require_case = true}).ok());
  EXPECT_TRUE(ReadStorePolicy(dir.path())->require_case);
  EXPECT_FALSE(std::filesystem::exists(StorePolicyPath(dir.path()).string() + ".tmp"));
}

TEST(StorePolicyTest, AnUnreadablePolicyIsAnErrorNotTheDefaults) {
  TempDir dir;
  WriteFile(StorePolicyPath(dir.path()), "{\"require_case\": \"yes\"}");
  auto policy = ReadStorePolicy(dir.path());
  ASSERT_FALSE(policy.ok());
  EXPECT_EQ(policy.status().code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace trafnet::engine
