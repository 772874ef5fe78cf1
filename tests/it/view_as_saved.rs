//! Issue 24, part 1: "view as saved". A real browser (headless Chromium,
//! from Debian's `chromium` package; these tests say so and skip when it is
//! absent) loads the page Folio serves for one fixture of every format,
//! with every request that is not for 127.0.0.1 sent to a catch-all proxy
//! that records it. Each test asserts that the stored images were asked of
//! Folio and answered, that they were drawn (a screenshot with a photo's
//! colours), and that nothing the page refers to was asked of anyone else.
//! The screenshots are written to `target/tmp/view-as-saved/` for a person
//! to look at. The hostile pages (a `<base>`, a refresh, frames, `srcdoc`,
//! CSS imports, an SVG with script, `javascript:` links, `../` paths) are
//! checked at the HTTP level always, and in the browser when it is there.
//! The harness (browser, catch-all proxy, HTTP client, screenshots) is
//! `common::browser`.

use std::collections::HashSet;
use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::Stdio;

use folio::library::{ArticleId, Library};
use folio::serve::Server;
use tempfile::TempDir;

use crate::common::browser::{
    CatchAll, browse, browser_or_skip, get, header, hosts_named, image_bytes, library_of,
    main_colour, page_hits, pixels_near, served_images, shots_dir,
};
use crate::common::{fixtures, folio_on};

struct Viewed {
    /// Requests Folio answered for the page, and their statuses.
    served: Vec<folio::serve::Served>,
    /// Requests that went elsewhere because of the page.
    elsewhere: Vec<String>,
    images_shown: usize,
    /// Stored images whose main colour covers a patch of the screenshot.
    images_drawn: usize,
    /// Stylesheets the browser asked of Folio and got.
    stylesheets: usize,
}

/// View article `id` of `library` as saved in the browser, screenshot to
/// `name.png`: what was asked of whom.
fn view(chromium: &Path, library: &Path, id: i64, name: &str) -> Viewed {
    let lib = Library::open_read_only(library).unwrap();
    let copy = lib.saved_copy(ArticleId(id), None).unwrap();
    let mut named = hosts_named(&copy.bytes);
    for (_, bytes) in &copy.resources {
        named.extend(hosts_named(bytes));
    }
    let server = Server::start(library).unwrap();
    let url = server.page_url(ArticleId(id), None);
    let (status, headers, body) = get(&url, None);
    assert_eq!(
        status,
        200,
        "{name}: {}",
        String::from_utf8_lossy(&body[..body.len().min(300)])
    );
    assert!(header(&headers, "content-security-policy").is_some_and(|p| p.contains("sandbox")));
    let page = String::from_utf8_lossy(&body).into_owned();
    let images = served_images(&page);
    let before = server.served().len();
    let catch = CatchAll::start();
    let shot = shots_dir().join(format!("{name}.png"));
    let _ = std::fs::remove_file(&shot);
    browse(chromium, &url, catch.port, Some(&shot));
    assert!(shot.is_file(), "{name}: Chromium wrote no screenshot");
    let served: Vec<_> = server.served().into_iter().skip(before).collect();
    for image in images.iter().filter(|i| !i.starts_with("data:")) {
        let path = image
            .split_once(&server.origin().to_owned())
            .map_or("", |(_, p)| p);
        let path = path
            .trim_start_matches('/')
            .split_once('/')
            .map_or("", |(_, p)| p); // after the token
        assert!(
            served
                .iter()
                .any(|s| s.status == 200 && s.path.trim_start_matches('/') == path),
            "{name}: the stored image {image} was not asked of Folio: {served:?}"
        );
    }
    let mut images_drawn = 0;
    for image in &images {
        let bytes = image_bytes(image);
        if main_colour(&bytes).is_some_and(|c| pixels_near(&shot, c) >= 400) {
            images_drawn += 1;
        }
    }
    let stylesheets = served
        .iter()
        .filter(|s| s.status == 200 && s.path.contains("/r/css/"))
        .count();
    Viewed {
        stylesheets,
        elsewhere: page_hits(&catch.hits(), &named),
        served,
        images_shown: images.len(),
        images_drawn,
    }
}

/// Each format's fixture, viewed as saved: its stored images asked of Folio
/// and drawn, nothing asked of anyone else.
#[test]
fn every_format_is_viewed_as_saved_with_nothing_from_elsewhere() {
    let Some(chromium) = browser_or_skip("every_format_is_viewed_as_saved") else {
        return;
    };
    let f = fixtures();
    // (name, file or folder, stored images drawn, stored stylesheets
    // applied); each alone in a library, as article 1.
    let cases: &[(&str, &str, bool, bool)] = &[
        ("html", "cn-news/chinanews-9229287.html", false, false),
        ("folder", "formats/complete/m-epoch", true, true),
        (
            "singlefile",
            "formats/singlefile/m-epoch.singlefile.html",
            true,
            false,
        ),
        (
            "mhtml-chrome",
            "saved/mhtml/blink-substack-noahpinion-japan.mht",
            true,
            true,
        ),
        (
            "mhtml-word",
            "saved/mhtml/word-gb2312-simple.mht",
            false,
            false,
        ),
        (
            "webarchive",
            "saved/webarchive/safari-wikipedia-mainpage.webarchive",
            true,
            true,
        ),
        ("warc", "warc/site.warc", true, false),
        ("wacz", "warc/site.wacz", true, false),
        ("mirror", "mirror/140-336623.md", false, false),
    ];
    let mut report = Vec::new();
    for (name, path, drawn, styled) in cases {
        let (path, id) = (f.join(path), 1);
        eprintln!("viewing {name} as saved");
        assert!(path.exists(), "fixture {} is missing", path.display());
        let (_dir, library) = library_of(&[&path]);
        let viewed = view(&chromium, &library, id, name);
        let from_folio = viewed.served.len();
        report.push(format!(
            "{name}: {from_folio} requests to Folio ({} stored images in the page, {} seen drawn, {} stylesheets), {} elsewhere",
            viewed.images_shown,
            viewed.images_drawn,
            viewed.stylesheets,
            viewed.elsewhere.len(),
        ));
        if *styled {
            assert!(
                viewed.stylesheets > 0,
                "{name}: no stored stylesheet was applied"
            );
        }
        assert!(
            viewed.elsewhere.is_empty(),
            "{name}: the page asked other hosts: {:?}",
            viewed.elsewhere
        );
        if *drawn {
            assert!(
                viewed.images_shown > 0,
                "{name}: no stored image in the page"
            );
            assert!(
                viewed.images_drawn > 0,
                "{name}: none of the {} stored images was seen drawn in the screenshot",
                viewed.images_shown
            );
        }
    }
    eprintln!("view as saved:\n  {}", report.join("\n  "));
}

/// A saved page that tries everything: a `<base>` and a refresh pointing
/// away, scripts inline, in SVG and in `srcdoc`, frames, plugins, CSS
/// imports and `url()`s to the network (in the page, in its stylesheet, in
/// a `style` attribute), `javascript:` links, `../` paths to a file beside
/// the save, and a `<noscript>` image. Its folder holds a red PNG, the
/// stylesheet and an SVG with a script.
fn hostile_save(dir: &Path) -> PathBuf {
    let page = dir.join("hostile.html");
    let files = dir.join("hostile_files");
    std::fs::create_dir_all(&files).unwrap();
    std::fs::write(
        &page,
        r#"<!DOCTYPE html><html><head><title>Hostile page</title>
<base href="https://evil.example/base/">
<meta http-equiv="refresh" content="0;url=https://evil.example/refresh">
<link rel="stylesheet" href="hostile_files/style.css">
<link rel="preload" href="https://evil.example/preload.js" as="script">
<link rel="dns-prefetch" href="https://evil.example">
<script src="https://evil.example/script.js"></script>
<script>document.title='PWNED'; fetch('https://evil.example/fetch');</script>
<style>@import url("https://evil.example/import.css"); body{background:url(https://evil.example/bg.png)}</style>
</head><body onload="document.body.innerHTML='PWNED'">
<h1>Hostile page</h1>
<p>The harbour town keeps its old fish market, and every morning the boats come in before dawn.</p>
<img src="hostile_files/red.png" alt="red" width="300" height="200">
<img src="https://evil.example/remote.png">
<img src="hostile_files/evil.svg" width="100" height="100">
<iframe src="https://evil.example/frame"></iframe>
<iframe srcdoc="<script>parent.document.title='PWNED'</script><img src='https://evil.example/srcdoc.png'>"></iframe>
<a href="javascript:alert('PWNED')">js link</a> <a href=" JaVa&#09;ScRiPt:alert(1)">js link 2</a>
<img src="../secret.txt"><img src="hostile_files/../../secret.txt"><link rel="stylesheet" href="../secret.txt">
<svg width="10" height="10"><script>document.title='PWNED'</script><image href="https://evil.example/svgimage.png"/></svg>
<object data="https://evil.example/object.swf"></object><embed src="https://evil.example/embed.swf">
<video src="https://evil.example/video.mp4" poster="https://evil.example/poster.png"></video>
<form action="https://evil.example/form"><input type="image" src="https://evil.example/input.png"></form>
<div style="background-image:url('https://evil.example/inline.png')">inline style</div>
<noscript><img src="https://evil.example/noscript.png"></noscript>
<a href="https://elsewhere.example/story">a live link</a>
</body></html>"#,
    )
    .unwrap();
    std::fs::write(
        files.join("style.css"),
        "@import 'https://evil.example/css-import.css';\n\
         h1 { color: rgb(200, 0, 0) }\n\
         body { background-image: url(//evil.example/protocol-relative.png) }\n\
         @font-face { font-family: x; src: url(https://evil.example/font.woff) }\n\
         p { background: url(../../secret.txt) }\n",
    )
    .unwrap();
    std::fs::write(
        files.join("evil.svg"),
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><script>fetch('https://evil.example/svg-script')</script><rect width="100" height="100" fill="#00aa00"/><image href="https://evil.example/svg-inner.png"/></svg>"##,
    )
    .unwrap();
    let red = image::RgbImage::from_pixel(300, 200, image::Rgb([220, 20, 20]));
    red.save(files.join("red.png")).unwrap();
    std::fs::write(dir.join("secret.txt"), "TOP SECRET beside the save").unwrap();
    page
}

/// Every attribute value and `url()` of a served page or stylesheet that
/// would make a browser ask `host` for something (links followed only on a
/// click are not requests).
fn requests_to(text: &str, host: &str) -> Vec<String> {
    let attr = regex::Regex::new(r#"(?i)<([a-z0-9]+)\b[^>]*?\s(src|href|poster|data|action|srcset|background)\s*=\s*"([^"]*)""#).unwrap();
    let css = regex::Regex::new(r#"(?i)(url\([^)]*\)|@import\s+["'][^"']*["'])"#).unwrap();
    let mut out: Vec<String> = attr
        .captures_iter(text)
        .filter(|c| !c[3].is_empty() && c[3].contains(host) && !c[1].eq_ignore_ascii_case("a"))
        .map(|c| c[0].to_owned())
        .collect();
    out.extend(
        css.find_iter(text)
            .filter(|m| m.as_str().contains(host))
            .map(|m| m.as_str().to_owned()),
    );
    out
}

/// At the HTTP level (no browser needed): the hostile page is served with
/// nothing that would ask the network, no script, no refresh, no base;
/// its stylesheet and SVG likewise; files beside the save are unreachable.
#[test]
fn a_hostile_page_is_served_with_nothing_that_runs_or_leaves() {
    let dir = TempDir::new().unwrap();
    let page = hostile_save(dir.path());
    let (_lib_dir, library) = library_of(&[&page]);
    let server = Server::start(&library).unwrap();
    let url = server.page_url(ArticleId(1), None);

    let (status, headers, body) = get(&url, None);
    assert_eq!(status, 200);
    let policy = header(&headers, "content-security-policy").unwrap();
    assert!(policy.contains("default-src 'none'"), "{policy}");
    assert!(policy.contains("sandbox"), "{policy}");
    assert!(
        !policy.contains("allow-scripts") && !policy.contains("allow-same-origin"),
        "{policy}"
    );
    assert_eq!(header(&headers, "referrer-policy"), Some("no-referrer"));
    let served = String::from_utf8_lossy(&body).into_owned();
    assert!(served.contains("Hostile page"), "{served}");
    assert_eq!(
        requests_to(&served, "evil.example"),
        Vec::<String>::new(),
        "{served}"
    );
    for gone in [
        "<script",
        "http-equiv",
        "<base",
        "javascript:",
        "avascript",
        "onload",
        "<object",
        "<embed",
        "PWNED'</script>",
    ] {
        assert!(
            !served
                .to_ascii_lowercase()
                .contains(&gone.to_ascii_lowercase()),
            "{gone} in {served}"
        );
    }
    assert!(
        served.contains("data-folio-leaves"),
        "the live link is not marked: {served}"
    );
    assert!(!served.contains("TOP SECRET"));

    // The stylesheet and the SVG, as the page now asks for them.
    let css_url = regex::Regex::new(r#"href="([^"]*/r/css/[^"]*)""#)
        .unwrap()
        .captures(&served)
        .unwrap()[1]
        .to_owned();
    let (status, headers, css) = get(&css_url, None);
    assert_eq!(status, 200);
    assert!(header(&headers, "content-security-policy").is_some());
    let css = String::from_utf8_lossy(&css).into_owned();
    assert!(css.contains("rgb(200, 0, 0)"), "{css}");
    assert_eq!(
        requests_to(&css, "evil.example"),
        Vec::<String>::new(),
        "{css}"
    );
    assert!(!css.contains("secret"), "{css}");
    let svg_url = regex::Regex::new(r#"src="([^"]*/r/any/[^"]*svg)""#)
        .unwrap()
        .captures(&served)
        .unwrap()[1]
        .to_owned();
    let (status, headers, _) = get(&svg_url, None);
    assert_eq!(status, 200);
    assert_eq!(header(&headers, "content-type"), Some("image/svg+xml"));
    assert!(header(&headers, "content-security-policy").is_some_and(|p| p.contains("sandbox")));

    // Nothing beside the save, however the path is spelt.
    let base = url.trim_end_matches('/');
    for path in [
        "r/any/..%2Fsecret.txt",
        "r/any/..%2F..%2Fsecret.txt",
        "r/any/%2E%2E%2Fsecret.txt",
        "../secret.txt",
        "r/any/hostile_files%2F..%2F..%2Fsecret.txt",
    ] {
        let (status, _, body) = get(&format!("{base}/{path}"), None);
        assert_eq!(status, 404, "{path}");
        assert!(
            !String::from_utf8_lossy(&body).contains("TOP SECRET"),
            "{path}"
        );
    }
}

/// The address is the key: without the session's token, with another's, or
/// through another host name (DNS rebinding) nothing is served.
#[test]
fn without_the_token_or_from_another_host_nothing_is_served() {
    let (_dir, library) = library_of(&[&fixtures().join("formats/complete/m-epoch")]);
    let server = Server::start(&library).unwrap();
    let url = server.page_url(ArticleId(1), None);
    assert_eq!(get(&url, None).0, 200);
    let origin = server.origin().to_owned();
    let token = url
        .trim_start_matches(&format!("{origin}/"))
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    let mut wrong = token.clone().into_bytes();
    wrong[0] = if wrong[0] == b'a' { b'b' } else { b'a' };
    let wrong = String::from_utf8(wrong).unwrap();
    for other in [
        format!("{origin}/1/"),
        format!("{origin}/{wrong}/1/"),
        format!("{origin}/{}/1/", &token[..token.len() - 1]),
        format!("{origin}/"),
    ] {
        assert_eq!(get(&other, None).0, 404, "{other}");
    }
    assert_eq!(
        get(&url, Some("attacker.example")).0,
        404,
        "another host name"
    );
    assert_eq!(
        get(
            &url,
            Some(&format!(
                "attacker.example:{}",
                origin.rsplit(':').next().unwrap()
            ))
        )
        .0,
        404
    );
    // A second server (another session) has another token.
    let again = Server::start(&library).unwrap();
    assert_ne!(
        again.page_url(ArticleId(1), None).split('/').nth(3),
        url.split('/').nth(3)
    );
}

/// A link to a page the library holds opens that page as saved; a link to
/// anywhere else leaves the archive, marked and without a referrer.
#[test]
fn links_to_pages_in_the_library_open_them_as_saved() {
    let dir = TempDir::new().unwrap();
    let a = dir.path().join("a.html");
    let b = dir.path().join("b.html");
    let body = "<p>The harbour town keeps its old fish market, and every morning the boats come in before dawn with what the night gave them.</p>";
    std::fs::write(&a, format!(
        "<html><head><title>Page A</title><link rel=canonical href='https://news.example/a.html'></head><body><h1>Page A</h1>{body}\
         <a href='https://news.example/b.html?utm_source=x#part'>to B</a> <a href='/c.html'>to C</a></body></html>")).unwrap();
    std::fs::write(&b, format!(
        "<html><head><title>Page B</title><link rel=canonical href='http://news.example/b.html'></head><body><h1>Page B</h1>{body}{body}</body></html>")).unwrap();
    let (_lib_dir, library) = library_of(&[&a, &b]);
    let lib = Library::open_read_only(&library).unwrap();
    let id_of = |title: &str| {
        lib.list(None, folio::library::SortBy::default(), 10, 0)
            .unwrap()
            .into_iter()
            .find(|r| r.title == title)
            .unwrap()
            .id
    };
    let (id_a, id_b) = (id_of("Page A"), id_of("Page B"));
    let server = Server::start(&library).unwrap();
    let (_, _, page) = get(&server.page_url(id_a, None), None);
    let page = String::from_utf8_lossy(&page);
    let to_b = server.page_url(id_b, None);
    assert!(page.contains(&format!("href=\"{to_b}\"")), "{page}");
    assert!(
        page.contains("href=\"https://news.example/c.html\""),
        "{page}"
    );
    assert!(page.contains("rel=\"noopener noreferrer\""), "{page}");
    let (status, _, b_page) = get(&to_b, None);
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&b_page).contains("Page B"));
}

/// The hostile page in a real browser: nothing runs (the title and body are
/// the page's, not the scripts'), the refresh is not followed, and no
/// request leaves for any host; the red image from the save is drawn.
#[test]
fn a_hostile_page_in_the_browser_runs_nothing_and_asks_nobody_else() {
    let Some(chromium) = browser_or_skip("a_hostile_page_in_the_browser") else {
        return;
    };
    let dir = TempDir::new().unwrap();
    let page = hostile_save(dir.path());
    let (_lib_dir, library) = library_of(&[&page]);
    let server = Server::start(&library).unwrap();
    let url = server.page_url(ArticleId(1), None);
    let catch = CatchAll::start();
    let dom = browse(&chromium, &url, catch.port, None);
    assert!(dom.contains("Hostile page"), "{dom}");
    assert!(
        !dom.contains("PWNED\n") && !dom.contains("<title>PWNED"),
        "a script ran: {dom}"
    );
    assert!(
        dom.contains("data-folio-banner"),
        "the refresh was followed: {dom}"
    );
    let shot = shots_dir().join("hostile.png");
    browse(&chromium, &url, catch.port, Some(&shot));
    assert!(
        pixels_near(&shot, [220, 20, 20]) > 10_000,
        "the stored red image was not drawn"
    );
    // The SVG from the save is asked of Folio and answered (whether the
    // shot catches it drawn depends on when headless Chromium decides the
    // page is done: it is not asserted, only told).
    assert!(
        server
            .served()
            .iter()
            .any(|s| s.status == 200 && s.path.ends_with("evil%2Esvg")),
        "the stored SVG was not asked of Folio: {:?}",
        server.served()
    );
    if pixels_near(&shot, [0, 170, 0]) < 5_000 {
        eprintln!("note: the stored SVG is not in this screenshot");
    }
    // The SVG opened on its own: its script does not run either.
    let svg = regex::Regex::new(r#"src="([^"]*/r/any/[^"]*svg)""#)
        .unwrap()
        .captures(&dom)
        .unwrap()[1]
        .to_owned();
    browse(&chromium, &svg, catch.port, None);
    let named: HashSet<String> = ["evil.example", "elsewhere.example"]
        .map(String::from)
        .into();
    assert_eq!(page_hits(&catch.hits(), &named), Vec::<String>::new());
    assert!(
        !server.served().iter().any(|s| s.path.contains("secret")),
        "{:?}",
        server.served()
    );
}

/// `folio original ID --print-url` prints an address that serves the page
/// until the process is stopped; a missing article or version is one
/// clear sentence.
#[test]
fn folio_original_prints_an_address_that_serves_the_page() {
    let (_dir, library) = library_of(&[&fixtures().join("formats/complete/m-epoch")]);
    let mut child = crate::common::folio()
        .arg("--library")
        .arg(&library)
        .args(["original", "1", "--print-url"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line.trim().to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let (status, headers, body) = get(&url, None);
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(status, 200);
    assert!(header(&headers, "content-security-policy").is_some());
    let body = String::from_utf8_lossy(&body);
    assert!(body.contains("神韵音乐直触心灵"), "{body}");
    assert!(body.contains("as saved in m-epoch.html"), "{body}");

    let missing = folio_on(&library, &["original", "99", "--print-url"]);
    assert!(!missing.status.success());
    assert!(
        String::from_utf8_lossy(&missing.stderr).contains("99"),
        "{missing:?}"
    );
    let no_version = folio_on(
        &library,
        &["original", "1", "--version", "5", "--print-url"],
    );
    assert!(!no_version.status.success());
    assert!(
        String::from_utf8_lossy(&no_version.stderr).contains("no version 5"),
        "{no_version:?}"
    );
}

/// One uncompressed WARC response record for `uri`.
fn warc_response(uri: &str, content_type: &str, body: &str) -> String {
    let block = format!("HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\n\r\n{body}");
    format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\n\
         WARC-Date: 2024-05-03T06:00:00Z\r\nContent-Type: application/http; msgtype=response\r\n\
         Content-Length: {}\r\n\r\n{block}\r\n\r\n",
        block.len()
    )
}

/// A WARC page keeps the stylesheets the archive holds, so it shows as
/// saved with its styles (before, only its images were kept and it showed
/// unstyled).
#[test]
fn a_web_archive_page_is_served_with_its_archived_stylesheet() {
    let dir = TempDir::new().unwrap();
    let archive = dir.path().join("styled.warc");
    let paragraph = "<p>The harbour town keeps its old fish market, and every morning the boats \
                     come in before dawn with what the night gave them.</p>";
    let page = format!(
        "<!DOCTYPE html><html><head><title>Styled page</title>\
         <link rel=\"stylesheet\" href=\"/style.css\"></head><body><h1>Styled page</h1>\
         {paragraph}{paragraph}{paragraph}</body></html>"
    );
    let css = "h1 { color: rgb(0, 128, 255); font-size: 64px } \
               body { background: url(/missing-background.png) }";
    std::fs::write(
        &archive,
        warc_response(
            "https://news.example/styled.html",
            "text/html; charset=utf-8",
            &page,
        ) + &warc_response("https://news.example/style.css", "text/css", css),
    )
    .unwrap();
    let (_lib_dir, library) = library_of(&[&archive]);
    let server = Server::start(&library).unwrap();
    let url = server.page_url(ArticleId(1), None);
    let (status, _, body) = get(&url, None);
    assert_eq!(status, 200);
    let served = String::from_utf8_lossy(&body).into_owned();
    let css_url = regex::Regex::new(r#"href="([^"]*/r/css/[^"]*)""#)
        .unwrap()
        .captures(&served)
        .unwrap_or_else(|| panic!("no stored stylesheet in {served}"))[1]
        .to_owned();
    let (status, _, stylesheet) = get(&css_url, None);
    assert_eq!(status, 200);
    let stylesheet = String::from_utf8_lossy(&stylesheet);
    assert!(stylesheet.contains("rgb(0, 128, 255)"), "{stylesheet}");
    assert!(
        stylesheet.contains("url()"),
        "the missing background asks nobody: {stylesheet}"
    );
    let Some(chromium) =
        browser_or_skip("a_web_archive_page_is_served_with_its_archived_stylesheet")
    else {
        return;
    };
    let catch = CatchAll::start();
    let shot = shots_dir().join("warc-styled.png");
    browse(&chromium, &url, catch.port, Some(&shot));
    assert!(
        pixels_near(&shot, [0, 128, 255]) > 200,
        "the archived stylesheet was not applied"
    );
    let named: HashSet<String> = ["news.example"].map(String::from).into();
    assert_eq!(page_hits(&catch.hits(), &named), Vec::<String>::new());
}
