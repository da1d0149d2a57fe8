// Opening a test's store and checking it with Verify, for storage tests.
#ifndef TRAFNET_TESTS_SUPPORT_TEST_STORE_H_
#define TRAFNET_TESTS_SUPPORT_TEST_STORE_H_

#include <gtest/gtest.h>

#include <memory>

#include "support/temp_dir.h"
#include "trafnet/storage/store.h"

namespace trafnet::testing {

// The store in `dir / "db"`, created if missing unless read-only.
inline std::unique_ptr<storage::Store> OpenStore(const TempDir& dir, bool read_only = false) {
  storage::StoreOptions options;
  options.read_only = read_only;
  options.create_if_missing = !read_only;
  auto store = storage::Store::Open(dir / "db", options);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return std::move(store).value();
}

// Verify runs and finds nothing wrong.
inline void ExpectConsistent(const storage::Store& store) {
  auto report = store.Verify();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->ok()) << ::testing::PrintToString(report->problems);
}

}  // namespace trafnet::testing

#endif  // TRAFNET_TESTS_SUPPORT_TEST_STORE_H_
