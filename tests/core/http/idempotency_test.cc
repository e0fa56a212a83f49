#include "core/http/idempotency.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include "core/util/error.h"
#include "support/temp_db.h"

namespace sx::http {

TEST(Idempotency, ReplaysTheFirstResponseAndGuardsTheKey) {
  ASSERT_GE(sodium_init(), 0);
  testing::TempDb tmp;
  util::FakeClock clock(1'800'000'000'000);
  DbIdempotencyStore store(tmp.db(), clock);
  EXPECT_FALSE(store.Begin("acc", "k1", "POST /x\n{}"));  // claimed
  // Same key while the first request is still running.
  try {
    store.Begin("acc", "k1", "POST /x\n{}");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kConflict);
  }
  Response first = Response::Json(201, boost::json::object{{"id", "abc"}});
  first.With("Set-Cookie", "sid=t");
  store.Finish("acc", "k1", first);
  auto replay = store.Begin("acc", "k1", "POST /x\n{}");
  ASSERT_TRUE(replay);
  EXPECT_EQ(replay->status, 201);
  EXPECT_EQ(replay->body, first.body);
  EXPECT_EQ(replay->Header("Set-Cookie"), "sid=t");
  // Another body under the same key is refused; another caller's key space is separate.
  EXPECT_THROW(store.Begin("acc", "k1", "POST /x\n{\"a\":1}"), Error);
  EXPECT_FALSE(store.Begin("other", "k1", "POST /x\n{}"));
}

TEST(Idempotency, AClaimLeftByADeadRequestCanBeRetakenAfterAMinute) {
  ASSERT_GE(sodium_init(), 0);
  testing::TempDb tmp;
  util::FakeClock clock(1'800'000'000'000);
  DbIdempotencyStore store(tmp.db(), clock);
  EXPECT_FALSE(store.Begin("acc", "k", "POST /x\n{}"));
  EXPECT_THROW(store.Begin("acc", "k", "POST /x\n{}"), Error);
  clock.Advance(61 * 1000);
  EXPECT_FALSE(store.Begin("acc", "k", "POST /x\n{}"));  // claimed again
}

}  // namespace sx::http
