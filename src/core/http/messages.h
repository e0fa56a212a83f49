// Localised problem details. Services raise errors with English text (the canonical API text,
// stable for scripts and logs); the router translates `detail` and field messages into the
// caller's language from Accept-Language, so a villager reads 身份证号码校验位不正确 rather than
// English. Unknown messages pass through unchanged. Thread-safe (read-only tables).
#pragma once
#include <string>
#include <string_view>

namespace sx::http {

enum class Lang { kEn, kZh };

// zh for an Accept-Language whose first language is Chinese; en otherwise (also when absent:
// scripts and API clients keep the canonical text).
Lang LangFromAcceptLanguage(std::string_view header);
// The message in `lang`; `field` (may be empty) names the field for field errors.
std::string Localize(std::string_view english, Lang lang);
// A field's display name in `lang` (e.g. id_number → 身份证号码).
std::string FieldName(std::string_view field, Lang lang);

}  // namespace sx::http
