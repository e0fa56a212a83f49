// The database seam: one interface, two backends (SQLite embedded, PostgreSQL via libpq).
//
// SQL is written once, in PostgreSQL placeholder style ($1, $2, ...) and in the common subset of
// both dialects (TEXT, BIGINT, INTEGER; no backend-specific functions); the SQLite backend
// rewrites $N to ?N. SQL lives only in modules' repo.cc files and in migrations.
//
// Thread safety: Database is safe to use from any thread. A Conn is handed to one callback at a
// time and must not escape it.
//
// Durability contract: Write() returns only after its transaction is durably committed
// (SQLite WAL + synchronous=FULL; PostgreSQL synchronous_commit=on). If it throws, nothing the
// callback did is visible. On SQLite, writes are serialised on one writer thread and
// group-committed: several callbacks share one COMMIT, each inside its own SAVEPOINT so one
// callback's failure does not undo another's.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace sx::db {

// Binary data (SQLite BLOB, PostgreSQL BYTEA; declare such columns BYTEA in migrations, which
// SQLite stores as given). Read back with Row::Str, which holds the raw bytes on both backends.
struct Blob {
  std::string bytes;
};
using Value = std::variant<std::monostate, int64_t, double, std::string, Blob>;
inline Value Null() { return std::monostate{}; }
template <class T>
Value Opt(const std::optional<T>& v) {
  return v ? Value(*v) : Value(std::monostate{});
}

class Row {
 public:
  explicit Row(std::vector<Value> cols) : cols_(std::move(cols)) {}
  size_t size() const { return cols_.size(); }
  bool IsNull(size_t i) const { return std::holds_alternative<std::monostate>(cols_.at(i)); }
  // Integer value; text is parsed (PostgreSQL returns text). NULL reads as 0.
  int64_t Int(size_t i) const;
  double Real(size_t i) const;
  // Text value; NULL reads as "".
  std::string Str(size_t i) const;
  std::optional<std::string> OptStr(size_t i) const;
  std::optional<int64_t> OptInt(size_t i) const;

 private:
  std::vector<Value> cols_;
};
using Rows = std::vector<Row>;

class Conn {
 public:
  virtual ~Conn() = default;
  // Runs a statement and returns its rows (RETURNING rows too).
  virtual Rows Query(std::string_view sql, std::span<const Value> params) = 0;
  // Runs a statement and returns the number of rows changed.
  virtual int64_t Exec(std::string_view sql, std::span<const Value> params) = 0;
  // Runs several statements without parameters (migrations).
  virtual void ExecScript(std::string_view sql) = 0;

  Rows Query(std::string_view sql, std::initializer_list<Value> p = {}) {
    return Query(sql, std::span<const Value>(p.begin(), p.size()));
  }
  int64_t Exec(std::string_view sql, std::initializer_list<Value> p = {}) {
    return Exec(sql, std::span<const Value>(p.begin(), p.size()));
  }
  std::optional<Row> One(std::string_view sql, std::initializer_list<Value> p = {}) {
    auto rows = Query(sql, p);
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
  }
};

enum class Kind { kSqlite, kPostgres };

struct Stats {
  int64_t read_pool_size = 0;
  int64_t read_pool_in_use = 0;
  int64_t write_queue_depth = 0;
  int64_t writes_committed = 0;
  int64_t commits = 0;  // < writes_committed when group commit batches several writes
};

class Database {
 public:
  virtual ~Database() = default;
  virtual Kind kind() const = 0;
  virtual std::string_view KindName() const = 0;
  // Runs fn with a read connection (a consistent snapshot for the duration of fn).
  virtual void Read(const std::function<void(Conn&)>& fn) = 0;
  // Runs fn in a write transaction; see the durability contract above. Exceptions from fn
  // propagate to the caller after the rollback.
  virtual void Write(const std::function<void(Conn&)>& fn) = 0;
  // Queues a write and returns at once, for bookkeeping nobody waits on (a session's last-seen
  // time). Failures are logged, not reported. On PostgreSQL it runs synchronously.
  virtual void WriteAsync(std::function<void(Conn&)> fn) = 0;
  virtual Stats GetStats() const = 0;
  // Finishes queued writes and closes connections. Further calls throw.
  virtual void Close() = 0;

  template <class F>
  auto ReadValue(F&& f) -> decltype(f(std::declval<Conn&>())) {
    std::optional<decltype(f(std::declval<Conn&>()))> out;
    Read([&](Conn& c) { out.emplace(f(c)); });
    return std::move(*out);
  }
  template <class F>
  auto WriteValue(F&& f) -> decltype(f(std::declval<Conn&>())) {
    std::optional<decltype(f(std::declval<Conn&>()))> out;
    Write([&](Conn& c) { out.emplace(f(c)); });
    return std::move(*out);
  }
};

struct OpenOptions {
  int read_pool = 16;   // reader connections (SQLite) or pool size (PostgreSQL)
  int max_batch = 128;  // SQLite group commit: most writes in one COMMIT
};

// Opens "sqlite:PATH" (PATH may be ":memory:" only for single-connection tests) or a
// "postgresql://..." / "postgres://..." URL. Throws sx::Error on a bad URL or connection failure.
std::unique_ptr<Database> Open(const std::string& url, const OpenOptions& opts = {});

// Rewrites $N placeholders to ?N outside string literals (SQLite backend; exposed for tests).
std::string RewritePlaceholders(std::string_view sql);

}  // namespace sx::db
