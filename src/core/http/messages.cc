#include "core/http/messages.h"

#include <unordered_map>

namespace sx::http {
namespace {

using Table = std::unordered_map<std::string_view, std::string_view>;

const Table& Messages() {
  static const Table t = {
      // Sessions and access
      {"Sign in first", "请先登录"},
      {"Wrong phone number or password", "手机号或密码不正确"},
      {"Too many failed sign-ins for this account; try again in 15 minutes",
       "该账号登录失败次数过多，请 15 分钟后再试"},
      {"Too many failed sign-ins from this address; try again in 15 minutes",
       "此网络登录失败次数过多，请 15 分钟后再试"},
      {"Too many sign-ins at once; try again shortly", "登录人数过多，请稍后再试"},
      {"Cross-site request refused (Origin does not match)", "已拒绝跨站请求"},
      {"Missing or wrong X-CSRF-Token", "页面已过期，请刷新后重试"},
      {"Not found", "未找到，或您无权查看"},
      {"No such resource", "未找到"},
      {"No such village", "没有这个村（社区）"},
      {"Method not allowed", "不支持此操作"},
      {"An internal error occurred", "服务器出错了，请稍后再试"},
      {"No county is loaded yet (run `shuxiang demo`)", "系统尚未导入县区数据"},
      // Conflicts
      {"This phone number is already registered; sign in instead", "该手机号已注册，请直接登录"},
      {"A person with this ID number is already registered", "该身份证号码已登记"},
      {"A person with this ID number is already registered; reject this request",
       "该身份证号码已登记，请驳回此申请"},
      {"You already belong to a village", "您已加入村庄"},
      {"You already have a request waiting for review", "您已有待审核的申请"},
      {"This request was already approved", "该申请已通过"},
      {"This request was already rejected", "该申请已驳回"},
      {"This unit is deactivated", "该单位已停用"},
      {"A request with this Idempotency-Key is still being processed",
       "上一次提交仍在处理中，请稍候"},
      // Bodies
      {"A JSON object body is required", "请求内容不能为空"},
      {"The body must be a JSON object", "请求内容格式不正确"},
      {"phone, id_number and village_code cannot be changed here",
       "手机号、身份证号码和所属村不能在此修改"},
      // Field messages
      {"is required", "必须填写"},
      {"must be a string", "格式不正确"},
      {"must be an integer", "必须是整数"},
      {"is too long", "太长了"},
      {"is not valid UTF-8", "包含无法识别的字符"},
      {"must be 1 to 40 characters", "应为 1 到 40 个字"},
      {"must be 1 to 20 characters", "应为 1 到 20 个字"},
      {"must be 1 to 200 characters", "应为 1 到 200 个字"},
      {"at most 40 characters", "最多 40 个字"},
      {"contains control characters", "包含无效字符"},
      {"must be 8 to 128 characters", "应为 8 到 128 个字符"},
      {"must not be only digits", "不能全是数字"},
      {"must be an 11-digit mobile number", "请输入 11 位手机号码"},
      {"is not a valid 18-digit ID number (checksum)", "不是有效的 18 位身份证号码（校验位不符）"},
      {"must be a village code", "请选择村（社区）"},
      {"must be a county or town code", "请选择县或乡镇"},
      {"must be a 12-digit region code", "应为 12 位区划代码"},
      {"must be m or f", "请选择性别"},
      {"must be a year", "请输入出生年份"},
      {"must be phone or id_number", "只能查看手机号或身份证号码"},
      {"must be 1 to 200", "应为 1 到 200"},
      {"must be a number from 1 to 200", "应为 1 到 200 的数字"},
      {"not found in this village", "在本村找不到"},
      {"cannot be changed; create a new unit instead", "不能修改，请新建单位"},
      {"must be pending, approved or rejected", "状态不正确"},
      {"must be town, village or county", "级别不正确"},
      {"is not a cursor from this API", "分页参数不正确"},
      {"no account uses this phone number; ask them to sign up first",
       "没有使用此手机号的账号，请先让对方注册"},
      {"must be one of party, government, public_institution, enterprise, town_office",
       "单位类型不正确"},
      {"was already used for a different request", "已用于另一次提交"},
      {"at most 128 characters", "最多 128 个字符"},
  };
  return t;
}

const Table& Fields() {
  static const Table t = {
      {"name", "姓名"},
      {"phone", "手机号"},
      {"password", "密码"},
      {"id_number", "身份证号码"},
      {"village_code", "村（社区）"},
      {"region_code", "所属区划"},
      {"region", "区划"},
      {"kind", "单位类型"},
      {"gender", "性别"},
      {"birth_year", "出生年份"},
      {"relation", "与户主关系"},
      {"reason", "理由"},
      {"q", "搜索词"},
      {"limit", "每页数量"},
      {"cursor", "分页"},
      {"status", "状态"},
      {"level", "级别"},
      {"household_id", "户"},
      {"field", "字段"},
  };
  return t;
}

}  // namespace

Lang LangFromAcceptLanguage(std::string_view h) {
  while (!h.empty() && h.front() == ' ') h.remove_prefix(1);
  return (h.size() >= 2 && (h[0] == 'z' || h[0] == 'Z') && (h[1] == 'h' || h[1] == 'H'))
             ? Lang::kZh
             : Lang::kEn;
}

std::string Localize(std::string_view english, Lang lang) {
  if (lang == Lang::kEn) return std::string(english);
  auto& m = Messages();
  if (auto it = m.find(english); it != m.end()) return std::string(it->second);
  // "Validation failed: FIELD: MESSAGE"
  constexpr std::string_view kValidation = "Validation failed: ";
  if (english.substr(0, kValidation.size()) == kValidation) {
    std::string_view rest = english.substr(kValidation.size());
    auto colon = rest.find(": ");
    if (colon != std::string_view::npos)
      return FieldName(rest.substr(0, colon), lang) + Localize(rest.substr(colon + 2), lang);
  }
  return std::string(english);
}

std::string FieldName(std::string_view field, Lang lang) {
  if (lang == Lang::kZh)
    if (auto it = Fields().find(field); it != Fields().end()) return std::string(it->second);
  return std::string(field);
}

}  // namespace sx::http
