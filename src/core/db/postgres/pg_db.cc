#include "core/db/postgres/pg_db.h"

#include <libpq-fe.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/log/log.h"
#include "core/util/error.h"

namespace sx::db {
namespace {

constexpr unsigned kByteaOid = 17;

// A BYTEA in the text result format ("\x" then two hex digits per byte) as raw bytes.
std::string FromHex(const char* p, int n) {
  if (n < 2 || p[0] != '\\' || p[1] != 'x') return std::string(p, n);
  auto nib = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
  std::string out;
  out.reserve((n - 2) / 2);
  for (int i = 2; i + 1 < n; i += 2)
    out.push_back(static_cast<char>(nib(p[i]) << 4 | nib(p[i + 1])));
  return out;
}

}  // namespace
namespace {

class PgConn final : public Conn {
 public:
  explicit PgConn(const std::string& url) {
    conn_ = PQconnectdb(url.c_str());
    if (PQstatus(conn_) != CONNECTION_OK) {
      std::string msg = PQerrorMessage(conn_);
      PQfinish(conn_);
      throw Error(ErrorCode::kUnavailable, "postgresql: " + msg);
    }
    ExecScript("SET client_min_messages=warning; SET synchronous_commit=on;");
  }
  ~PgConn() override { PQfinish(conn_); }

  Rows Query(std::string_view sql, std::span<const Value> params) override {
    PGresult* r = Run(sql, params);
    Rows rows;
    int nrows = PQntuples(r), ncols = PQnfields(r);
    rows.reserve(nrows);
    for (int i = 0; i < nrows; ++i) {
      std::vector<Value> cols;
      cols.reserve(ncols);
      for (int j = 0; j < ncols; ++j) {
        if (PQgetisnull(r, i, j))
          cols.emplace_back(std::monostate{});
        else if (PQftype(r, j) == kByteaOid)
          cols.emplace_back(FromHex(PQgetvalue(r, i, j), PQgetlength(r, i, j)));
        else
          cols.emplace_back(std::string(PQgetvalue(r, i, j), PQgetlength(r, i, j)));
      }
      rows.emplace_back(std::move(cols));
    }
    PQclear(r);
    return rows;
  }

  int64_t Exec(std::string_view sql, std::span<const Value> params) override {
    PGresult* r = Run(sql, params);
    const char* n = PQcmdTuples(r);
    int64_t changed = (n && *n) ? std::stoll(n) : 0;
    PQclear(r);
    return changed;
  }

  void ExecScript(std::string_view sql) override {
    std::string s(sql);
    PGresult* r = PQexec(conn_, s.c_str());
    Check(r);
    PQclear(r);
  }

  bool Healthy() const { return PQstatus(conn_) == CONNECTION_OK; }

 private:
  PGresult* Run(std::string_view sql, std::span<const Value> params) {
    std::string key(sql);
    auto it = prepared_.find(key);
    if (it == prepared_.end()) {
      std::string name = "s" + std::to_string(prepared_.size());
      PGresult* r = PQprepare(conn_, name.c_str(), key.c_str(), 0, nullptr);
      Check(r);
      PQclear(r);
      it = prepared_.emplace(std::move(key), std::move(name)).first;
    }
    std::vector<std::string> text(params.size());
    std::vector<const char*> ptrs(params.size(), nullptr);
    std::vector<int> lengths(params.size(), 0), formats(params.size(), 0);
    for (size_t i = 0; i < params.size(); ++i) {
      const Value& v = params[i];
      if (auto p = std::get_if<Blob>(&v)) {  // sent in binary format: no escaping
        ptrs[i] = p->bytes.data();
        lengths[i] = static_cast<int>(p->bytes.size());
        formats[i] = 1;
        continue;
      }
      if (auto p = std::get_if<int64_t>(&v))
        text[i] = std::to_string(*p);
      else if (auto p = std::get_if<double>(&v))
        text[i] = std::to_string(*p);
      else if (auto p = std::get_if<std::string>(&v))
        text[i] = *p;
      else
        continue;
      ptrs[i] = text[i].c_str();
    }
    PGresult* r = PQexecPrepared(conn_, it->second.c_str(), static_cast<int>(params.size()),
                                 ptrs.data(), lengths.data(), formats.data(), 0);
    Check(r);
    return r;
  }

  void Check(PGresult* r) {
    auto st = PQresultStatus(r);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY) return;
    std::string msg = r ? PQresultErrorMessage(r) : PQerrorMessage(conn_);
    const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    std::string code = state ? state : "";
    PQclear(r);
    if (code.rfind("23", 0) == 0) throw Error::Conflict("postgresql: " + msg);
    throw Error(ErrorCode::kInternal, "postgresql: " + msg);
  }

  PGconn* conn_;
  std::unordered_map<std::string, std::string> prepared_;
};

class PgDatabase final : public Database {
 public:
  PgDatabase(const std::string& url, const OpenOptions& opts) : url_(url) {
    size_ = opts.read_pool;
    for (int i = 0; i < size_; ++i) idle_.push_back(std::make_unique<PgConn>(url));
    // Prefix searches compare bytes (see modules' repo.cc), which needs the C collation.
    auto r = idle_.front()->Query(
        "SELECT datcollate FROM pg_database WHERE datname = current_database()", {});
    std::string collate = r.empty() ? "" : r.front().Str(0);
    if (collate != "C" && collate != "POSIX")
      log::Warn(
          "database collation is {} (not C): prefix searches may miss matches; create the "
          "database with: createdb -T template0 --locale=C ...",
          collate);
  }
  ~PgDatabase() override { Close(); }

  Kind kind() const override { return Kind::kPostgres; }
  std::string_view KindName() const override { return "postgresql"; }

  void Read(const std::function<void(Conn&)>& fn) override {
    Run(fn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", false);
  }
  void Write(const std::function<void(Conn&)>& fn) override {
    ++queue_depth_;
    try {
      Run(fn, "BEGIN", true);
    } catch (...) {
      --queue_depth_;
      throw;
    }
    --queue_depth_;
  }

  void WriteAsync(std::function<void(Conn&)> fn) override {
    try {
      Write(fn);
    } catch (const std::exception& e) {
      log::Warn("background write failed: {}", e.what());
    }
  }

  Stats GetStats() const override {
    Stats s;
    std::lock_guard lk(mu_);
    s.read_pool_size = size_;
    s.read_pool_in_use = size_ - static_cast<int64_t>(idle_.size());
    s.write_queue_depth = queue_depth_.load();
    s.writes_committed = commits_.load();
    s.commits = commits_.load();
    return s;
  }

  void Close() override {
    std::unique_lock lk(mu_);
    if (closed_) return;
    closed_ = true;
    cv_.wait(lk, [&] { return static_cast<int>(idle_.size()) == size_; });
    idle_.clear();
  }

 private:
  void Run(const std::function<void(Conn&)>& fn, const char* begin, bool write) {
    std::unique_ptr<PgConn> c;
    {
      std::unique_lock lk(mu_);
      cv_.wait(lk, [&] { return !idle_.empty() || closed_; });
      if (closed_) throw Error(ErrorCode::kUnavailable, "database closed");
      c = std::move(idle_.back());
      idle_.pop_back();
    }
    auto give_back = [&] {
      if (!c->Healthy()) {
        try {
          c = std::make_unique<PgConn>(url_);
        } catch (...) {
          // keep the broken one; the next user reports the error
        }
      }
      std::lock_guard lk(mu_);
      idle_.push_back(std::move(c));
      cv_.notify_all();
    };
    try {
      c->ExecScript(begin);
      fn(*c);
      c->ExecScript("COMMIT");
      if (write) ++commits_;
    } catch (...) {
      try {
        c->ExecScript("ROLLBACK");
      } catch (...) {
      }
      give_back();
      throw;
    }
    give_back();
  }

  std::string url_;
  int size_ = 0;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<PgConn>> idle_;
  bool closed_ = false;
  std::atomic<int64_t> queue_depth_{0};
  std::atomic<int64_t> commits_{0};
};

}  // namespace

std::unique_ptr<Database> OpenPostgres(const std::string& url, const OpenOptions& opts) {
  return std::make_unique<PgDatabase>(url, opts);
}

}  // namespace sx::db
