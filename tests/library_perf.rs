//! Search and list latency on a large synthetic library. Ignored by default
//! (slow to build the library); run with
//! `FOLIO_PERF_ARTICLES=100000 cargo test --release --test library_perf -- --ignored --nocapture`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use folio::library::{ImportMode, Library, PreparedArticle, Sort};
use folio::model::{Article, Block, Inline};
use folio::read::{Format, Resources, Source};

/// Common Chinese characters, roughly by frequency, to make realistic postings.
const CHARS: &str = "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区米";

fn article(i: usize, rng: &mut u64) -> Article {
    let chars: Vec<char> = CHARS.chars().collect();
    let mut next = || {
        *rng ^= *rng << 13;
        *rng ^= *rng >> 7;
        *rng ^= *rng << 17;
        *rng
    };
    let para = |n: usize, next: &mut dyn FnMut() -> u64| -> String {
        (0..n)
            .map(|_| chars[(next() % chars.len() as u64) as usize])
            .collect()
    };
    Article {
        title: para(16, &mut next),
        url: Some(format!("https://example.com/{i}")),
        published: Some(format!(
            "20{:02}-{:02}-{:02}",
            i % 25,
            1 + i % 12,
            1 + i % 28
        )),
        site: Some(["新浪", "大纪元", "The Guardian"][i % 3].to_owned()),
        blocks: (0..6)
            .map(|_| Block::Paragraph {
                inlines: vec![Inline::text(para(200, &mut next))],
            })
            .collect(),
        ..Article::default()
    }
}

fn p95(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() * 95 / 100]
}

#[test]
#[ignore = "slow: builds a large library"]
fn search_and_list_latency() {
    let n: usize = std::env::var("FOLIO_PERF_ARTICLES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_000);
    let dir = tempfile::tempdir().unwrap();
    let mut lib = Library::open(&dir.path().join("perf.folio")).unwrap();
    let started = Instant::now();
    let mut rng = 0x9E37_79B9_7F4A_7C15_u64;
    let source = Source {
        file_name: "x.html".into(),
        format: Format::Html,
        text: String::new(),
        saved_from: None,
        resources: Resources::default(),
        original: Arc::from(&b"<p>x</p>"[..]),
        warnings: Vec::new(),
    };
    for i in 0..n {
        let prepared = PreparedArticle::new(&source, &article(i, &mut rng));
        lib.store_prepared(&prepared, ImportMode::SkipDuplicates)
            .unwrap();
    }
    println!("stored {n} articles in {:?}", started.elapsed());
    println!("{:?}", lib.stats().unwrap());
    for q in [
        "小米",
        "主板",
        "的",
        "中国人民",
        "小米 site:新浪",
        "水 tag:x",
    ] {
        let times: Vec<Duration> = (0..20)
            .map(|_| {
                let t = Instant::now();
                let hits = lib.search(q, 50, 0).unwrap();
                std::hint::black_box(hits);
                t.elapsed()
            })
            .collect();
        let t = Instant::now();
        let n = lib.count(Some(q)).unwrap();
        println!(
            "search {q:?}: p95 {:?}; count {n} in {:?}",
            p95(times),
            t.elapsed()
        );
    }
    for sort in [Sort::Date, Sort::Title, Sort::Added, Sort::Site] {
        let times: Vec<Duration> = (0..20)
            .map(|k| {
                let t = Instant::now();
                let rows = lib.list(None, sort, 100, k * 1000).unwrap();
                std::hint::black_box(rows);
                t.elapsed()
            })
            .collect();
        println!("list {sort:?}: p95 {:?}", p95(times));
    }
    let t = Instant::now();
    println!("count {} in {:?}", lib.count(None).unwrap(), t.elapsed());
}
