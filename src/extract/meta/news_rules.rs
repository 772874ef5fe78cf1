//! The rules Chinese news pages are read by, as data: datelines, bylines,
//! editors, site names, title separators and time zones. Adding a shape is
//! adding a row here (and a test on a real page in `tests/it/extract_cn_news.rs`);
//! the code in [`super::dateline`], [`super::byline`] and
//! [`super::headline`] only runs these tables.

/// How a dateline pattern's numbers are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateOrder {
    /// Groups `y`, `m`, `d` (`2019-11-25`, `2019年11月25日`, `2019/11/25`).
    YearFirst,
    /// Groups `a`, `b`, `y`: day and month in either order, told apart only
    /// when one of them is over 12 (`30/11/2025` is DD/MM, `11-22-2014`
    /// MM-DD); a date that stays ambiguous is not read.
    YearLast,
    /// Groups `d`, `mon` (an English month name), `y` (`01 Dec 2025`).
    DayMonthName,
}

/// The optional time after a date: `16:04`, `16:04:05`, `(16:31)`,
/// `01:06 pm`, `下午 3:05`, `- 10:13`, `格林尼治标准时间10:41`.
pub const TIME: &str = r"(?:[\s,，]*(?:[(（]|-|–|(?:(?P<cnpm>下午|晚上)|上午|凌晨|中午|格林尼治标准时间|格林威治標準時間|GMT|UTC)\s*)?\s*(?P<H>\d{1,2})\s*[:：]\s*(?P<M>\d{2})(?:\s*[:：]\s*(?P<S>\d{2}))?(?:\.\d+)?(?:\s*[)）])?(?:\s*(?P<ampm>[AaPp]\.?[Mm]\.?))?)?";

/// A visible dateline's date shapes, tried in this order at every place in
/// the text under the headline; the first place that matches any of them
/// wins. Each is followed by [`TIME`]; a pattern must not start or end
/// inside a longer number (checked by the code).
pub static DATELINES: &[(&str, DateOrder)] = &[
    (
        r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日(?:\s*(?:星期|週|周|禮拜|礼拜)[一二三四五六日天])?(?:\s*[(（][一二三四五六日天][)）])?",
        DateOrder::YearFirst,
    ),
    (
        r"(?P<y>(?:19|20)\d{2})\s*(?P<sep>[-/.])\s*(?P<m>\d{1,2})\s*[-/.]\s*(?P<d>\d{1,2})",
        DateOrder::YearFirst,
    ),
    (
        r"(?P<a>\d{1,2})\s*[-/.]\s*(?P<b>\d{1,2})\s*[-/.]\s*(?P<y>(?:19|20)\d{2})",
        DateOrder::YearLast,
    ),
    (
        r"(?P<d>\d{1,2})\s+(?P<mon>(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))[a-z]*\.?,?\s+(?P<y>(?:19|20)\d{2})",
        DateOrder::DayMonthName,
    ),
];

/// Words just before a date (within [`LABEL_REACH`] characters) that make it
/// not the publication date: an update or edit time.
pub static NOT_PUBLISHED_LABELS: &[&str] = &[
    "更新",
    "修改",
    "修订",
    "修訂",
    "编辑于",
    "編輯於",
    "Updated",
    "updated",
    "更正",
];

/// How far before a date [`NOT_PUBLISHED_LABELS`] are looked for, in characters.
pub const LABEL_REACH: usize = 8;

/// How much text under the headline is searched for the dateline and the
/// byline, in characters: the info line sits right under the title, and a
/// page's "today" header, comment dates and related lists lie outside it.
pub const HEAD_TEXT_CHARS: usize = 600;

/// How much HTML under the headline is read to find that text, in bytes.
pub const HEAD_HTML_BYTES: usize = 24 * 1024;

/// Dates in article URLs (`/2019-11/25/`, `/20191125/`, `/201911/25/`,
/// `t20191125_`, `/2019/1125/`, `/2019-11-25/`), as patterns with groups
/// `y`, `m`, `d`.
pub static URL_DATES: &[&str] = &[
    r"/(?P<y>(?:19|20)\d{2})-?(?P<m>\d{2})[-/]?(?P<d>\d{2})/",
    r"/(?P<y>(?:19|20)\d{2})-(?P<m>\d{2})/(?P<d>\d{2})/",
    r"/(?P<y>(?:19|20)\d{2})/(?P<m>\d{2})(?P<d>\d{2})/",
    r"[/_]t(?P<y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})_",
];

/// Hosts whose pages print times in UTC+08:00 (mainland China, Hong Kong,
/// Macau, Taiwan, Singapore, Malaysia): a domain ending, or a site's own
/// domain (matching it and its subdomains). A time printed without a zone on
/// such a page gets this offset; a timestamp in another offset is shown in it.
pub static UTC_PLUS_8_HOSTS: &[&str] = &[
    ".cn",
    ".hk",
    ".mo",
    ".tw",
    ".sg",
    ".my",
    // Mainland sites on .com / .net.
    "163.com",
    "qq.com",
    "sina.com",
    "sohu.com",
    "ifeng.com",
    "xinhuanet.com",
    "news.cn",
    "chinanews.com",
    "chinadaily.com",
    "southcn.com",
    "qdaily.com",
    "guancha.cn",
    "thepaper.cn",
    "caixin.com",
    "jiemian.com",
    "yicai.com",
    "huanqiu.com",
    "cctv.com",
    "36kr.com",
    "infzm.com",
    "bjnews.com",
    "eastday.com",
    "cnr.cn",
    "cri.cn",
    "chinatimes.com",
    "udn.com",
    "setn.com",
    "ettoday.net",
    "storm.mg",
    "tvb.com",
    "wenweipo.com",
    "takungpao.com",
    "singtao.com",
    "mingpao.com",
    "hk01.com",
    "zaobao.com",
    "8world.com",
    "sinchew.com",
    "orientaldaily.com",
    "appledaily.com",
    "rthk.hk",
    "scmp.com",
    "passiontimes.hk",
    "taiwannews.com",
];

/// The offset of [`UTC_PLUS_8_HOSTS`], as written into a date-time.
pub const UTC_PLUS_8: &str = "+08:00";

/// Bylines written in the text, as patterns whose group `names` holds one
/// or more writers. Tried in order on the text under the headline, then on
/// the body's first and last paragraphs.
pub static BYLINES: &[&str] = &[
    // （记者钱伟）, （记者 岳品瑜 董晗萱）, 〔記者王憶紅／台北報導〕,
    // 【聯合晚報╱記者楊正海╱即時報導】, （中央社記者盧太城台東縣12日電）.
    r"[（(【〔\[][^（()）【】〔〕\[\]]{0,12}?(?:记者|記者)\s*(?P<names>[^（()）【】〔〕\[\]/／╱]{2,40}?)\s*(?:[/／╱][^（()）【】〔〕\[\]]{0,12})?[）)】〕\]]",
    // 新华社北京5月19日电（刘艺、杨吉）.
    r"\d{1,2}日[电電]\s*[（(](?P<names>[^（()）]{2,30}?)[）)]",
    // 記者林悅／南市報導, 記者潘照文、張逸民／台北報導.
    r"(?:记者|記者)\s*(?P<names>[^\s/／╱。，]{2,4}(?:[、，,\s]+[^\s/／╱。，、]{2,4})*)\s*[/／╱]\s*\S{0,8}?(?:报导|報導|报道|報道)",
    // 作者：上官云 宋宇晟, 作者 王之言 高孜然 / 编辑…, 文/栗思, 撰文：…, 记者：…
    r"(?:^|[\s（(【\[|｜])(?:作者|撰文|撰稿|采写|採寫|记者|記者|文|文字|文／图|文/图)\s*(?:[：:/／|｜]|\s)\s*(?P<names>\p{Han}{2,4}(?:(?:[、，,]|\s+)\p{Han}{2,4})*)",
    r"(?:^|[\s（(【\[|｜])(?:作者|By|by|撰文)\s*[：:/／]?\s*(?P<names>\p{Lu}\p{Ll}+(?:\s+\p{Lu}\p{Ll}+){1,3})",
];

/// What marks a byline pattern's match as a photo or source credit, not a
/// writer: `（中新社记者 杜洋 摄）`, `供图`.
pub static NOT_WRITER_MARKS: &[&str] = &["摄", "攝", "供图", "供圖", "图/", "圖/", "图片", "圖片"];

/// Words that mark an element of the page as its byline, in its `class`,
/// `id`, `rel` or `itemprop` (never `editor`).
pub static BYLINE_CLASSES: &[&str] = &["author", "byline", "reporter", "writer"];

/// Labels that name an editor (who is never the author): `责任编辑：张三`,
/// `编辑/倪家宁`, `[ 责编：张倩 ]`, `（整理：實習編輯劉彥璇）`.
pub static EDITOR_LABELS: &[&str] = &[
    "责任编辑",
    "責任編輯",
    "编辑",
    "編輯",
    "责编",
    "責編",
    "编审",
    "編審",
    "整理",
    "校对",
    "校對",
    "审校",
    "審校",
    "排版",
    "实习编辑",
    "實習編輯",
];

/// Endings of organisation names, which are never a person's name:
/// `经济日报`, `中時電子報`, `新华社`, `熱血編輯部`, `经济日报官方账号`.
pub static ORGANISATION_ENDINGS: &[&str] = &[
    "报",
    "報",
    "网",
    "網",
    "社",
    "台",
    "站",
    "刊",
    "部",
    "局",
    "会",
    "會",
    "委",
    "院",
    "所",
    "中心",
    "新闻",
    "新聞",
    "账号",
    "帳號",
    "频道",
    "頻道",
    "集团",
    "集團",
    "公司",
    "官方",
    "编辑",
    "編輯",
    "记者",
    "記者",
    "评论员",
    "評論員",
];

/// Separators between a page `<title>`'s parts (`headline_section_site`,
/// `site | headline`, `headline - site`, `headline--section--site`,
/// `post @ blog :: host ::`).
pub static TITLE_SEPARATORS: &[&str] = &[
    "_", "|", "｜", "│", " - ", " – ", " — ", "--", " -", "- ", "──", "——", " · ", " @ ", " :: ",
];

/// A title part that is the site's domain (`tvb.com`, `CAIJING.COM.CN`), or
/// that trails a site name (`三立新聞網  SETN.COM`): never the site's name.
pub static DOMAIN_ENDINGS: &[&str] = &[".com", ".cn", ".net", ".org", ".hk", ".tw", ".sg"];

/// Endings that make a title part look like a site's name rather than a
/// section (`BBC中文网` rather than `两岸三地`).
pub static SITE_NAME_ENDINGS: &[&str] = &[
    "网", "網", "新闻", "新聞", "报", "報", "社", "台", "电台", "電台", "News", "NEWS", "中文",
    "日报", "日報", "早报", "早報", "周刊", "週刊", "杂志", "雜誌", "时报", "時報",
];

/// Words a site appends to its name in `<title>` (`星島日報網頁`): cut off.
pub static SITE_NAME_TAILS: &[&str] = &["網頁", "网页", "首页", "首頁", "官网", "官網"];

/// Family names (Simplified and Traditional spellings; the compound ones
/// first): a Han name in a byline starts with one, or with a `·`-joined
/// transliteration. Words such as `广告`, `继续浏览` or `中時` never do.
pub static SURNAMES: &[&str] = &[
    "欧阳", "歐陽", "上官", "司马", "司馬", "诸葛", "諸葛", "东方", "東方", "皇甫", "尉迟", "尉遲",
    "公孙", "公孫", "慕容", "长孙", "長孫", "令狐", "夏侯", "轩辕", "軒轅", "端木", "西门", "西門",
    "南宫", "南宮", "独孤", "獨孤", "宇文", "司徒", "申屠", "单于", "呼延",
];

/// One-character family names (Simplified and Traditional), see [`SURNAMES`].
pub const SINGLE_SURNAMES: &str = "王李张張刘劉陈陳杨楊黄黃赵趙吴吳周徐孙孫马馬朱胡郭何林罗羅高郑鄭梁谢謝宋唐许許韩韓冯馮邓鄧曹彭曾萧蕭肖田董袁潘于於蒋蔣蔡余杜叶葉程苏蘇魏吕呂丁任沈姚卢盧姜崔钟鍾谭譚陆陸汪范金石廖贾賈夏韦韋付傅方白邹鄒孟熊秦邱江尹薛闫閻段雷侯龙龍史陶黎贺賀顾顧毛郝龚龔邵万萬钱錢严嚴覃武戴莫孔向汤湯常温溫康施文牛樊葛邢安齐齊易乔喬伍庞龐颜顏倪庄莊聂聶章鲁魯岳翟殷詹申欧歐耿关關兰蘭焦俞左柳甘祝包宁寧尚符舒阮柯纪紀梅童凌毕畢单單季裴霍涂塗成苗谷盛曲翁冉骆駱蓝藍路游辛靳管柴蒙鲍鮑华華喻祁蒲房滕屈饶饒解牟艾尤阳陽时時穆农農司卓古吉缪繆简簡车車项項连連芦蘆麦麥褚娄婁窦竇戚岑景党黨宫宮费費卜冷晏席卫衛米柏宗瞿桂全佟应應臧闵閔苟邬鄔边邊卞姬师師和仇栾欒隋商刁沙荣榮巫寇桑郎甄丛叢仲虞敖巩鞏明佘池查麻苑迟遲邝鄺官封谈談匡鞠惠荆荊乐樂冀郁胥南班储儲原栗燕楚鄢劳勞谌諶奚皮粟冼蔺藺楼樓盘盤满滿闻聞位厉厲伊仝区區郜海阚闞花权權强強帅帥屠豆朴植盖蓋练練廉禹井祖漆巴丰支卿国國狄平计計索宣晋晉相初门門云雲容敬来來扈晁芮都普阙闕浦戈伏鹿薄邸雍辜羊阿乌烏母裘亓修邰赫杭况況那宿鲜鮮印逯隆茹诸諸战戰慕危玉银銀亢嵇公哈湛宾賓戎勾茅利呼居揭干但尉冶斯元束檀衣信展阴陰昝智幸奉衡富尧堯闭閉由洪侯粘涂賴赖蔺游紀甯";
