// Collection form specs and answers: parsing with field errors, every field type's checks
// (choices, numbers within bounds, real dates, phones, GB 11643 check digits, known regions and
// photos), unknown keys, and display for exports.
#include "modules/docs/form.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/util/error.h"

namespace sx::docs::form {
namespace {

namespace json = boost::json;

FormSpec Spec() {
  return ParseSpec(json::parse(R"({"per":"household","fields":[
    {"id":"name","type":"text","label":"户主","required":true},
    {"id":"n","type":"number","label":"人口","min":1,"max":20},
    {"id":"crop","type":"single","label":"作物","options":["水稻","玉米"]},
    {"id":"help","type":"multiple","label":"需要","options":["技术","资金","销路"]},
    {"id":"born","type":"date","label":"出生日期"},
    {"id":"tel","type":"phone","label":"电话"},
    {"id":"idno","type":"id_number","label":"身份证号"},
    {"id":"place","type":"region","label":"所在村"},
    {"id":"pic","type":"photo","label":"照片"}]})"));
}

Checkers Known() {
  return {[](std::string_view c) { return c == "500238001001"; },
          [](std::string_view p) { return p == "photo-1"; }};
}

std::vector<std::string> FieldsOf(const Error& e) {
  std::vector<std::string> f;
  for (auto& x : e.fields()) f.push_back(x.field);
  return f;
}

TEST(Form, ParsesAndRoundTrips) {
  auto s = Spec();
  EXPECT_EQ(s.per, "household");
  ASSERT_EQ(s.fields.size(), 9u);
  EXPECT_TRUE(s.fields[0].required);
  EXPECT_EQ(s.fields[2].options.size(), 2u);
  EXPECT_EQ(*s.fields[1].max, 20);
  auto again = SpecFromJson(SpecToJson(s));
  EXPECT_EQ(SpecToJson(again), SpecToJson(s));
}

TEST(Form, RefusesBadSpecsNamingTheField) {
  try {
    ParseSpec(json::parse(R"({"fields":[{"id":"A b","type":"text","label":"x"},
      {"id":"a","type":"colour","label":""},{"id":"c","type":"single","label":"x","options":["1"]},
      {"id":"c","type":"text","label":"y"}]})"));
    FAIL();
  } catch (const Error& e) {
    auto f = FieldsOf(e);
    for (auto want : {"form.fields[0].id", "form.fields[1].type", "form.fields[1].label",
                      "form.fields[2].options", "form.fields[3].id"})
      EXPECT_NE(std::find(f.begin(), f.end(), want), f.end()) << want;
  }
  json::array many;
  for (int i = 0; i < 101; ++i)
    many.push_back(json::object{{"id", "f" + std::to_string(i)}, {"type", "text"}, {"label", "x"}});
  EXPECT_THROW(ParseSpec(json::object{{"fields", many}}), Error);
}

TEST(Form, AcceptsValidAnswersNormalised) {
  auto out = CheckAnswers(Spec(), json::parse(R"({"name":" 王五 ","n":"3","crop":"水稻",
    "help":["销路","技术"],"born":"2000-02-29","tel":"13800138000","idno":"11010519491231002x",
    "place":"500238001001","pic":"photo-1"})"),
                          Known());
  EXPECT_EQ(out.at("name").as_string(), "王五");
  EXPECT_EQ(out.at("n").as_double(), 3);
  EXPECT_EQ(json::serialize(out.at("help")), R"(["技术","销路"])");  // in the form's order
  EXPECT_EQ(out.at("idno").as_string(), "11010519491231002X");
}

TEST(Form, RefusesEveryInvalidAnswer) {
  try {
    CheckAnswers(Spec(), json::parse(R"({"n":21,"crop":"小麦","help":["技术","技术"],
      "born":"2001-02-29","tel":"1380013800","idno":"110105194912310021","place":"500238999999",
      "pic":"photo-2","extra":1})"),
                 Known());
    FAIL();
  } catch (const Error& e) {
    auto f = FieldsOf(e);
    for (auto want :
         {"answers.name", "answers.n", "answers.crop", "answers.help", "answers.born",
          "answers.tel", "answers.idno", "answers.place", "answers.pic", "answers.extra"})
      EXPECT_NE(std::find(f.begin(), f.end(), want), f.end()) << want;
  }
}

TEST(Form, DisplaysAnswersForExports) {
  auto s = Spec();
  json::value multi = json::parse(R"(["技术","销路"])");
  EXPECT_EQ(Display(s.fields[3], &multi), "技术、销路");
  json::value n = 3.0;
  EXPECT_EQ(Display(s.fields[1], &n), "3");
  EXPECT_EQ(Display(s.fields[0], nullptr), "");
  EXPECT_TRUE(IsPersonal(s.fields[5]));
  EXPECT_FALSE(IsPersonal(s.fields[0]));
}

}  // namespace
}  // namespace sx::docs::form
