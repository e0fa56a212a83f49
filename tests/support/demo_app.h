// A test fixture: the real app wiring on a fresh SQLite database holding the demo county (300
// residents), on a fake clock, with real sign-in. Module tests derive from it and drive their
// service directly (Tick on the fake clock, no HTTP).
#pragma once
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/app.h"
#include "core/events/log.h"
#include "core/util/random.h"
#include "modules/org/demo.h"

namespace sx::testing {

class DemoAppTest : public ::testing::Test {
 protected:
  explicit DemoAppTest(int64_t start_ms) : clock_(start_ms) {
    dir_ = std::filesystem::temp_directory_path() / ("sxapp-" + util::RandomHex(6));
    std::filesystem::create_directories(dir_);
    app::AppConfig cfg;
    cfg.db_url = "sqlite:" + (dir_ / "t.db").string();
    cfg.key_file = (dir_ / "k").string();
    cfg.files_dir = (dir_ / "files").string();
    cfg.fast_hash = true;
    cfg.clock = &clock_;
    app_ = std::make_unique<app::App>(cfg);
    org::LoadDemo(app_->db(), app_->pii(), app_->hasher(), app_->org().pinyin(), clock_,
                  {300, kPassword});
    app_->LoadDemoModules();
    accounts_ = org::ListDemoAccounts(app_->db(), app_->pii(), org::kDemoCounty);
  }
  ~DemoAppTest() override {
    app_.reset();
    std::filesystem::remove_all(dir_);
  }

  // The first demo account with this role.
  const org::DemoAccountInfo& Account(const std::string& role) const {
    for (auto& a : accounts_)
      if (a.role == role) return a;
    throw std::runtime_error("no demo account " + role);
  }
  // That account, signed in.
  perm::Principal As(const std::string& role) {
    auto s = app_->org().service().Login(Account(role).phone, kPassword, "127.0.0.1");
    return *app_->org().service().PrincipalForToken(s.session.token, false);
  }
  // The types of the county's events addressed to `key`, in order (one per matching key).
  std::vector<std::string> EventTypesFor(const std::string& key) {
    std::vector<std::string> out;
    for (auto& e :
         app_->db().ReadValue([](db::Conn& c) { return events::ReadAfter(c, "500238", 0, 5000); }))
      for (auto& k : e.keys)
        if (k == key) out.push_back(e.type);
    return out;
  }

  static constexpr const char* kPassword = "demo-password-1";
  util::FakeClock clock_;
  std::filesystem::path dir_;
  std::unique_ptr<app::App> app_;
  std::vector<org::DemoAccountInfo> accounts_;
};

}  // namespace sx::testing
