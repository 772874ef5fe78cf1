//! The house rules of ARCHITECTURE.md, checked against the code itself.
//!
//! Every `.rs` file under `src/` is parsed whole with `syn` (items marked
//! `#[cfg(test)]` are skipped by the parser, not by a line of text), and
//! every path it uses is collected: `use` trees however they are grouped or
//! nested (`use crate::{app::Action, library::{self, Library}}`), relative
//! paths (`super::super::app`, `self::x`), paths written inline in types,
//! expressions and patterns (`crate::library::Library::open(…)`), and paths
//! inside macro calls (`format!("{}", crate::x::y())`). Each path is
//! resolved to the module and file it names.
//!
//! Four rules, each with a test below that plants a violation in a copy of
//! the tree and proves it is caught:
//! * a module touches nothing that its row of ARCHITECTURE.md's table says
//!   it may not touch ([`RULES`], [`ONLY`]);
//! * no circle of imports of any length between files (Tarjan's strongly
//!   connected components over the file graph, parent and child included),
//!   so inside `src/library` and `src/app` as at the top every arrow runs
//!   one way;
//! * a `*_ui` function in `src/app` touches no worker (`crate::jobs`, but
//!   for the plain values in [`UI_MAY_NAME`]), no
//!   library (`crate::library::Library`), and no other pane's state (a type
//!   defined in another `*_ui` file);
//! * every top-level module has a rule here and a row in ARCHITECTURE.md.
//!
//! Long because: one subject's tests with the helpers they share; split
//! by subject, not by size.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test stops loudly: that is how it fails

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use proc_macro2::{TokenStream, TokenTree};
use syn::visit::Visit;

/// (module, what it may not touch, why). A module is a top-level folder or
/// file of `src/` (`library` covers `library::export` and `library::merge`).
/// A forbidden entry is a path prefix: a crate (`rusqlite`), a part of the
/// standard library (`std::fs`), or one of Folio's own modules or items
/// (`crate::app`, `crate::library::Library`).
const RULES: &[(&str, &[&str], &str)] = &[
    (
        "model",
        &[
            "std::fs",
            "std::net",
            "rusqlite",
            "egui",
            "eframe",
            "scraper",
            "html5ever",
            "ureq",
            "crate::read",
            "crate::extract",
            "crate::library",
            "crate::fetch",
            "crate::export",
            "crate::jobs",
            "crate::cli",
            "crate::app",
        ],
        "plain data: no IO, SQL, egui or HTML parsing, and nothing above it",
    ),
    (
        "read",
        &[
            "rusqlite",
            "egui",
            "eframe",
            "ureq",
            "std::net",
            "crate::extract",
            "crate::library",
            "crate::fetch",
            "crate::export",
            "crate::jobs",
            "crate::cli",
            "crate::app",
        ],
        "reads files into Sources: no SQL, egui or network",
    ),
    (
        "extract",
        &[
            "std::fs",
            "std::net",
            "rusqlite",
            "egui",
            "eframe",
            "ureq",
            "crate::library",
            "crate::fetch",
            "crate::export",
            "crate::jobs",
            "crate::cli",
            "crate::app",
        ],
        "pure Source -> Article: no file IO, SQL, egui or network",
    ),
    (
        "library",
        &[
            "egui",
            "eframe",
            "scraper",
            "html5ever",
            "ureq",
            "std::net",
            "crate::fetch",
            "crate::export",
            "crate::jobs",
            "crate::cli",
            "crate::app",
        ],
        "the only SQL: no egui, HTML parsing or network",
    ),
    (
        "cite",
        &[
            "std::fs",
            "std::net",
            "std::io",
            "rusqlite",
            "egui",
            "eframe",
            "scraper",
            "ureq",
            "crate::library::Library",
            "crate::read",
            "crate::extract",
            "crate::fetch",
            "crate::export",
            "crate::jobs",
            "crate::cli",
            "crate::app",
        ],
        "pure citations of a StoredArticle: no IO, SQL, egui or network, never the Library",
    ),
    (
        "fetch",
        &[
            "rusqlite",
            "egui",
            "eframe",
            "scraper",
            "crate::export",
            "crate::jobs",
            "crate::cli",
            "crate::app",
        ],
        "all network access: no SQL, egui",
    ),
    (
        "serve",
        &[
            "rusqlite",
            "egui",
            "eframe",
            "ureq",
            "scraper",
            "crate::fetch",
            "crate::export",
            "crate::jobs",
            "crate::cli",
            "crate::app",
        ],
        "the loopback server of view as saved: through the Library API, no SQL, egui or outside network",
    ),
    (
        "export",
        &[
            "rusqlite",
            "egui",
            "eframe",
            "ureq",
            "std::net",
            "crate::fetch",
            "crate::jobs",
            "crate::cli",
            "crate::app",
        ],
        "renders stored articles through the Library API: no SQL, egui",
    ),
    (
        "jobs",
        &[
            "rusqlite",
            "ureq",
            "std::net",
            "scraper",
            "crate::cli",
            "crate::app",
            "egui::Ui",
            "egui::Window",
            "egui::Panel",
            "egui::Response",
        ],
        "the GUI's worker threads: no SQL of its own, no widgets",
    ),
    (
        "cli",
        &[
            "rusqlite",
            "egui",
            "eframe",
            "ureq",
            "std::net",
            "scraper",
            "crate::jobs",
            "crate::app",
        ],
        "headless commands over the library API: no SQL, egui",
    ),
    (
        "samples",
        &[
            "rusqlite",
            "egui",
            "eframe",
            "ureq",
            "std::net",
            "scraper",
            "crate::library",
            "crate::jobs",
            "crate::cli",
            "crate::app",
        ],
        "embedded samples and data paths: no SQL, egui or network",
    ),
    (
        "app",
        &[
            "rusqlite",
            "ureq",
            "std::net",
            "scraper",
            "html5ever",
            "crate::cli",
            "crate::library::Library",
            "crate::read::read_path",
            "crate::read::read_bytes",
            "crate::read::mhtml",
            "crate::read::charset",
            "crate::extract",
            "crate::fetch",
            "crate::serve",
        ],
        "the window: no SQL, file parsing or network (the worker does those)",
    ),
];

/// Crates only one module may use.
const ONLY: &[(&str, &str)] = &[
    ("ureq", "fetch"),
    ("tiny_http", "serve"),
    ("rusqlite", "library"),
    ("eframe", "app"),
];

/// What a `*_ui` function in `src/app` may not touch besides another pane's
/// state (see [`ui_rule_violations`]).
const UI_FORBIDDEN: &[&str] = &["crate::jobs", "crate::library::Library"];

/// What a `*_ui` function may still name from `crate::jobs`: plain values of
/// the window's vocabulary with the worker (which task a Cancel button is
/// for, how many rows a page holds), never a command, an event or the worker.
const UI_MAY_NAME: &[&str] = &["crate::jobs::Task", "crate::jobs::PAGE_ROWS"];

/// One path used in a file.
#[derive(Clone, Debug)]
struct Used {
    /// The line it is on.
    line: usize,
    /// As written, `::`-joined (`super::store::sql_int`).
    written: String,
    /// Resolved: `crate::…` for Folio's own, the path as written for other
    /// crates.
    absolute: String,
    /// The innermost function it is in.
    function: Option<String>,
}

/// One `.rs` file of `src/`.
#[derive(Debug)]
struct SourceFile {
    /// Relative to `src/`.
    rel: PathBuf,
    /// `["library", "export"]` for `src/library/export.rs`, `[]` for `lib.rs`.
    module: Vec<String>,
    /// Every path used outside `#[cfg(test)]` items.
    used: Vec<Used>,
    /// The types (structs and enums) it defines at its top.
    types: BTreeSet<String>,
}

/// The `src/` folder of this checkout.
fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `root`, parsed, sorted by path.
fn read_tree(root: &Path) -> Vec<SourceFile> {
    let mut paths = Vec::new();
    let mut stack = vec![root.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                paths.push(path);
            }
        }
    }
    paths.sort();
    let modules: BTreeSet<Vec<String>> = paths.iter().map(|p| module_of(root, p)).collect();
    paths
        .iter()
        .map(|path| parse_file(root, path, &modules))
        .collect()
}

/// The module path of the file `path` under `root`.
fn module_of(root: &Path, path: &Path) -> Vec<String> {
    let rel = path.strip_prefix(root).unwrap().with_extension("");
    let mut module: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(
        module.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        module.pop();
    }
    module
}

fn parse_file(root: &Path, path: &Path, modules: &BTreeSet<Vec<String>>) -> SourceFile {
    let text = std::fs::read_to_string(path).unwrap();
    let syntax = syn::parse_file(&text)
        .unwrap_or_else(|e| panic!("{}: does not parse: {e}", path.display()));
    let module = module_of(root, path);
    let mut collector = Collector {
        modules,
        scope: module.clone(),
        functions: Vec::new(),
        imports: vec![BTreeMap::new()],
        used: Vec::new(),
    };
    // `use` declarations first, so names they bring in resolve wherever
    // they are used in the file.
    collector.collect_imports(&syntax.items);
    collector.visit_file(&syntax);
    let types = syntax
        .items
        .iter()
        .filter(|item| !is_test(item_attrs(item)))
        .filter_map(|item| match item {
            syn::Item::Struct(s) => Some(s.ident.to_string()),
            syn::Item::Enum(e) => Some(e.ident.to_string()),
            _ => None,
        })
        .collect();
    SourceFile {
        rel: path.strip_prefix(root).unwrap().to_owned(),
        module,
        used: collector.used,
        types,
    }
}

/// The attributes of an item (none for the kinds that cannot carry a
/// `#[cfg(test)]` that matters here).
fn item_attrs(item: &syn::Item) -> &[syn::Attribute] {
    match item {
        syn::Item::Const(i) => &i.attrs,
        syn::Item::Enum(i) => &i.attrs,
        syn::Item::Fn(i) => &i.attrs,
        syn::Item::Impl(i) => &i.attrs,
        syn::Item::Mod(i) => &i.attrs,
        syn::Item::Static(i) => &i.attrs,
        syn::Item::Struct(i) => &i.attrs,
        syn::Item::Trait(i) => &i.attrs,
        syn::Item::Type(i) => &i.attrs,
        syn::Item::Use(i) => &i.attrs,
        syn::Item::Macro(i) => &i.attrs,
        _ => &[],
    }
}

/// `#[cfg(test)]` (also inside `all(…)`/`any(…)`).
fn is_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.meta
                .require_list()
                .is_ok_and(|list| tokens_have_ident(list.tokens.clone(), "test"))
    })
}

fn tokens_have_ident(tokens: TokenStream, name: &str) -> bool {
    tokens.into_iter().any(|t| match t {
        TokenTree::Ident(i) => i == name,
        TokenTree::Group(g) => tokens_have_ident(g.stream(), name),
        _ => false,
    })
}

/// Walks one file, collecting the paths it uses.
struct Collector<'a> {
    /// Every module that has a file.
    modules: &'a BTreeSet<Vec<String>>,
    /// The module being walked (the file's, plus inline `mod`s).
    scope: Vec<String>,
    /// The functions being walked, innermost last.
    functions: Vec<String>,
    /// Per scope level: a name brought in by `use` → its absolute path.
    imports: Vec<BTreeMap<String, String>>,
    used: Vec<Used>,
}

impl Collector<'_> {
    /// Record the names that the `use` items of one module bring in.
    fn collect_imports(&mut self, items: &[syn::Item]) {
        for item in items {
            if let syn::Item::Use(u) = item
                && !is_test(&u.attrs)
            {
                let mut flat = Vec::new();
                flatten_use(&u.tree, &mut Vec::new(), &mut flat);
                for (path, name) in flat {
                    if let Some(name) = name {
                        let absolute = self.absolute(&path);
                        self.imports.last_mut().unwrap().insert(name, absolute);
                    }
                }
            }
        }
    }

    /// `path` (segments as written) made absolute from the current scope:
    /// `crate::…` when it names one of Folio's modules, else as written.
    fn absolute(&self, path: &[String]) -> String {
        let Some(first) = path.first() else {
            return String::new();
        };
        let mut base: Vec<String> = match first.as_str() {
            "crate" => Vec::new(),
            "self" => self.scope.clone(),
            "super" => {
                let mut base = self.scope.clone();
                base.pop();
                base
            }
            _ => {
                // A name brought in by `use`, a child module of this scope,
                // or another crate.
                if let Some(known) = self.imports.iter().rev().find_map(|m| m.get(first)) {
                    let mut out = known.clone();
                    for part in &path[1..] {
                        out.push_str("::");
                        out.push_str(part);
                    }
                    return out;
                }
                let mut child = self.scope.clone();
                child.push(first.clone());
                if self.modules.contains(&child) {
                    let mut out = vec!["crate".to_owned()];
                    out.extend(child);
                    out.extend(path[1..].iter().cloned());
                    return out.join("::");
                }
                return path.join("::");
            }
        };
        let mut rest = &path[1..];
        while rest.first().is_some_and(|p| p == "super") {
            base.pop();
            rest = &rest[1..];
        }
        let mut out = vec!["crate".to_owned()];
        out.extend(base);
        out.extend(rest.iter().cloned());
        out.join("::")
    }

    fn record(&mut self, segments: Vec<String>, line: usize) {
        if segments.is_empty() {
            return;
        }
        let absolute = self.absolute(&segments);
        // A single name is worth keeping only when it names something
        // brought in by `use` (the `*_ui` rule looks at those).
        if segments.len() == 1 && absolute == segments[0] {
            return;
        }
        self.used.push(Used {
            line,
            written: segments.join("::"),
            absolute,
            function: self.functions.last().cloned(),
        });
    }

    /// Paths inside a macro's tokens: every `a::b::c` run of identifiers,
    /// and single identifiers brought in by `use`.
    fn macro_tokens(&mut self, tokens: TokenStream) {
        let tokens: Vec<TokenTree> = tokens.into_iter().collect();
        let mut i = 0;
        while i < tokens.len() {
            match &tokens[i] {
                TokenTree::Group(g) => {
                    self.macro_tokens(g.stream());
                    i += 1;
                }
                TokenTree::Ident(ident) => {
                    let line = ident.span().start().line;
                    let mut segments = vec![ident.to_string()];
                    let mut j = i + 1;
                    while j + 2 < tokens.len()
                        && is_punct(&tokens[j], ':')
                        && is_punct(&tokens[j + 1], ':')
                    {
                        if let TokenTree::Ident(next) = &tokens[j + 2] {
                            segments.push(next.to_string());
                            j += 3;
                        } else {
                            break;
                        }
                    }
                    self.record(segments, line);
                    i = j;
                }
                _ => i += 1,
            }
        }
    }
}

fn is_punct(token: &TokenTree, c: char) -> bool {
    matches!(token, TokenTree::Punct(p) if p.as_char() == c)
}

/// Every path a `use` tree names, with the name it brings in (`None` for
/// a glob): `use a::{b, c::{self as d, *}}` gives `a::b` (b), `a::c` (d),
/// `a::c::*`.
fn flatten_use(
    tree: &syn::UseTree,
    prefix: &mut Vec<String>,
    out: &mut Vec<(Vec<String>, Option<String>)>,
) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            flatten_use(&p.tree, prefix, out);
            prefix.pop();
        }
        syn::UseTree::Name(n) => {
            let name = n.ident.to_string();
            if name == "self" {
                out.push((prefix.clone(), prefix.last().cloned()));
            } else {
                let mut path = prefix.clone();
                path.push(name.clone());
                out.push((path, Some(name)));
            }
        }
        syn::UseTree::Rename(r) => {
            let name = r.ident.to_string();
            let path = if name == "self" {
                prefix.clone()
            } else {
                let mut path = prefix.clone();
                path.push(name);
                path
            };
            let alias = r.rename.to_string();
            out.push((path, (alias != "_").then_some(alias)));
        }
        syn::UseTree::Glob(_) => out.push((prefix.clone(), None)),
        syn::UseTree::Group(g) => {
            for tree in &g.items {
                flatten_use(tree, prefix, out);
            }
        }
    }
}

impl<'ast> Visit<'ast> for Collector<'_> {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        if !is_test(item_attrs(item)) {
            syn::visit::visit_item(self, item);
        }
    }

    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        if let Some((_, items)) = &m.content {
            self.scope.push(m.ident.to_string());
            self.imports.push(BTreeMap::new());
            self.collect_imports(items);
            for item in items {
                self.visit_item(item);
            }
            self.imports.pop();
            self.scope.pop();
        }
    }

    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        self.functions.push(f.sig.ident.to_string());
        syn::visit::visit_item_fn(self, f);
        self.functions.pop();
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        if is_test(&f.attrs) {
            return;
        }
        self.functions.push(f.sig.ident.to_string());
        syn::visit::visit_impl_item_fn(self, f);
        self.functions.pop();
    }

    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        let mut flat = Vec::new();
        flatten_use(&u.tree, &mut Vec::new(), &mut flat);
        let line = u.use_token.span.start().line;
        // `use x::*` and `use x::{self}` name the module `x` itself.
        for (segments, _) in flat {
            let absolute = self.absolute(&segments);
            self.used.push(Used {
                line,
                written: segments.join("::"),
                absolute,
                function: self.functions.last().cloned(),
            });
        }
    }

    /// `pub(super)`, `pub(in crate::x)`: a visibility names no dependency.
    fn visit_visibility(&mut self, _: &'ast syn::Visibility) {}

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        let line = path
            .segments
            .first()
            .map_or(0, |s| s.ident.span().start().line);
        self.record(segments, line);
        syn::visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        self.macro_tokens(mac.tokens.clone());
        syn::visit::visit_macro(self, mac);
    }
}

/// `forbidden` as a prefix of `path`, on whole path segments.
fn touches(path: &str, forbidden: &str) -> bool {
    path == forbidden || path.starts_with(&format!("{forbidden}::"))
}

/// What breaks [`RULES`] and [`ONLY`], one line each.
fn rule_violations(files: &[SourceFile]) -> Vec<String> {
    let mut broken = Vec::new();
    for file in files {
        let Some(top) = file.module.first() else {
            continue; // lib.rs, main.rs: wiring only
        };
        for (module, forbidden, why) in RULES.iter().filter(|(m, _, _)| m == top) {
            for used in &file.used {
                for f in forbidden.iter().filter(|f| touches(&used.absolute, f)) {
                    broken.push(format!(
                        "{}:{}: `{module}` may not touch `{f}` ({why}): {}",
                        file.rel.display(),
                        used.line,
                        used.written
                    ));
                }
            }
        }
        for (krate, owner) in ONLY {
            if top == owner {
                continue;
            }
            for used in file.used.iter().filter(|u| touches(&u.absolute, krate)) {
                broken.push(format!(
                    "{}:{}: only `{owner}` may use `{krate}`: {}",
                    file.rel.display(),
                    used.line,
                    used.written
                ));
            }
        }
    }
    broken
}

/// The file a resolved path lands in: the longest module prefix that has
/// a file.
fn target_module(absolute: &str, modules: &BTreeSet<Vec<String>>) -> Option<Vec<String>> {
    let mut parts = absolute.split("::");
    if parts.next() != Some("crate") {
        return None;
    }
    let mut base = Vec::new();
    let mut best = modules.contains(&base).then(Vec::new);
    for part in parts {
        base.push(part.to_owned());
        if modules.contains(&base) {
            best = Some(base.clone());
        }
    }
    best
}

/// The file graph: file → the files it imports, with one example line.
fn edges(files: &[SourceFile]) -> BTreeMap<Vec<String>, BTreeMap<Vec<String>, String>> {
    let modules: BTreeSet<Vec<String>> = files.iter().map(|f| f.module.clone()).collect();
    let mut graph: BTreeMap<Vec<String>, BTreeMap<Vec<String>, String>> = BTreeMap::new();
    for file in files {
        let out = graph.entry(file.module.clone()).or_default();
        for used in &file.used {
            if let Some(target) = target_module(&used.absolute, &modules)
                && target != file.module
                && !target.is_empty()
            {
                out.entry(target).or_insert_with(|| {
                    format!("{}:{} `{}`", file.rel.display(), used.line, used.written)
                });
            }
        }
    }
    graph
}

/// Every circle of imports (a strongly connected component of more than
/// one file), each with the arrows that tie it.
fn circles(files: &[SourceFile]) -> Vec<String> {
    let graph = edges(files);
    let nodes: Vec<&Vec<String>> = graph.keys().collect();
    let index_of: BTreeMap<&Vec<String>, usize> =
        nodes.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    // Tarjan's algorithm, iterative enough for a few hundred files.
    struct State {
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on_stack: Vec<bool>,
        stack: Vec<usize>,
        next: usize,
        components: Vec<Vec<usize>>,
    }
    fn connect(v: usize, adj: &[Vec<usize>], s: &mut State) {
        s.index[v] = Some(s.next);
        s.low[v] = s.next;
        s.next += 1;
        s.stack.push(v);
        s.on_stack[v] = true;
        for &w in &adj[v] {
            match s.index[w] {
                None => {
                    connect(w, adj, s);
                    s.low[v] = s.low[v].min(s.low[w]);
                }
                Some(iw) if s.on_stack[w] => s.low[v] = s.low[v].min(iw),
                Some(_) => {}
            }
        }
        if Some(s.low[v]) == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack[w] = false;
                component.push(w);
                if w == v {
                    break;
                }
            }
            s.components.push(component);
        }
    }
    let adj: Vec<Vec<usize>> = nodes
        .iter()
        .map(|n| {
            graph[*n]
                .keys()
                .filter_map(|t| index_of.get(t).copied())
                .collect()
        })
        .collect();
    let mut state = State {
        index: vec![None; nodes.len()],
        low: vec![0; nodes.len()],
        on_stack: vec![false; nodes.len()],
        stack: Vec::new(),
        next: 0,
        components: Vec::new(),
    };
    for v in 0..nodes.len() {
        if state.index[v].is_none() {
            connect(v, &adj, &mut state);
        }
    }
    let name = |m: &Vec<String>| {
        if m.is_empty() {
            "crate".to_owned()
        } else {
            m.join("::")
        }
    };
    let mut out = Vec::new();
    for component in state.components.iter().filter(|c| c.len() > 1) {
        let members: BTreeSet<usize> = component.iter().copied().collect();
        let mut lines = vec![format!(
            "circle of {}: {}",
            members.len(),
            members
                .iter()
                .map(|&i| name(nodes[i]))
                .collect::<Vec<_>>()
                .join(", ")
        )];
        for &i in &members {
            for (target, example) in &graph[nodes[i]] {
                if index_of.get(target).is_some_and(|t| members.contains(t)) {
                    lines.push(format!(
                        "  {} -> {}: {example}",
                        name(nodes[i]),
                        name(target)
                    ));
                }
            }
        }
        out.push(lines.join("\n"));
    }
    out
}

/// What `*_ui` functions in `src/app` touch that they may not: the worker,
/// the library, or a type defined in another `*_ui` file (another pane's
/// state).
fn ui_rule_violations(files: &[SourceFile]) -> Vec<String> {
    let is_pane_file = |f: &SourceFile| {
        f.module.first().is_some_and(|m| m == "app")
            && f.module.last().is_some_and(|m| m.ends_with("_ui"))
    };
    // Pane types: a type defined in a `*_ui` file, by its absolute path.
    let mut pane_types: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for file in files.iter().filter(|f| is_pane_file(f)) {
        for ty in &file.types {
            let mut path = vec!["crate".to_owned()];
            path.extend(file.module.iter().cloned());
            path.push(ty.clone());
            pane_types.insert(path.join("::"), file.module.clone());
        }
    }
    let mut broken = Vec::new();
    for file in files
        .iter()
        .filter(|f| f.module.first().is_some_and(|m| m == "app"))
    {
        for used in &file.used {
            let Some(function) = used.function.as_deref().filter(|f| f.ends_with("_ui")) else {
                continue;
            };
            if UI_MAY_NAME.iter().any(|ok| touches(&used.absolute, ok)) {
                continue;
            }
            for f in UI_FORBIDDEN.iter().filter(|f| touches(&used.absolute, f)) {
                broken.push(format!(
                    "{}:{}: `{function}` may not touch `{f}` (a *_ui function draws and returns actions): {}",
                    file.rel.display(),
                    used.line,
                    used.written
                ));
            }
            for (ty, owner) in &pane_types {
                let own = file.module.starts_with(owner) || owner.starts_with(&file.module);
                if !own && touches(&used.absolute, ty) {
                    broken.push(format!(
                        "{}:{}: `{function}` may not touch another pane's state `{ty}`: {}",
                        file.rel.display(),
                        used.line,
                        used.written
                    ));
                }
            }
        }
    }
    broken
}

/// Every broken rule of the tree at `root` (a `src/` folder).
fn all_violations(root: &Path) -> Vec<String> {
    let files = read_tree(root);
    let mut out = rule_violations(&files);
    out.extend(circles(&files));
    out.extend(ui_rule_violations(&files));
    out
}

#[test]
fn no_module_touches_what_architecture_md_forbids() {
    let broken = rule_violations(&read_tree(&src()));
    assert!(
        broken.is_empty(),
        "ARCHITECTURE.md is broken:\n{}",
        broken.join("\n")
    );
}

#[test]
fn no_circle_of_imports_of_any_length() {
    let found = circles(&read_tree(&src()));
    assert!(
        found.is_empty(),
        "files that import each other:\n{}",
        found.join("\n")
    );
}

#[test]
fn ui_functions_touch_no_worker_library_or_other_pane() {
    let broken = ui_rule_violations(&read_tree(&src()));
    assert!(
        broken.is_empty(),
        "*_ui rules broken:\n{}",
        broken.join("\n")
    );
}

#[test]
fn every_module_of_src_has_a_rule_and_a_line_in_architecture_md() {
    let architecture =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("ARCHITECTURE.md"))
            .unwrap();
    let tops: BTreeSet<String> = read_tree(&src())
        .into_iter()
        .filter_map(|f| f.module.first().cloned())
        .collect();
    for top in tops {
        assert!(
            RULES.iter().any(|(m, _, _)| *m == top),
            "src/{top} has no rule in tests/it/architecture.rs"
        );
        assert!(
            architecture.contains(&format!("| `{top}` |")),
            "src/{top} has no row in ARCHITECTURE.md's table"
        );
    }
    // And the table's "may not touch" column names what the rules forbid.
    for (module, forbidden, _) in RULES {
        let row = architecture
            .lines()
            .find(|l| l.starts_with(&format!("| `{module}` |")))
            .unwrap_or_else(|| panic!("ARCHITECTURE.md has no row for `{module}`"));
        let may_not = row.rsplit('|').nth(1).unwrap_or("").to_lowercase();
        for (word, rule_forbids) in [
            ("sql", forbidden.contains(&"rusqlite")),
            (
                "egui",
                forbidden.contains(&"egui") || forbidden.contains(&"egui::Ui"),
            ),
            ("network", forbidden.contains(&"ureq")),
        ] {
            assert!(
                !rule_forbids || may_not.contains(word),
                "ARCHITECTURE.md's row for `{module}` does not say it may not touch {word}: {row}"
            );
        }
    }
}

// ---- the tests of the test: each rule fails on a planted violation ----

/// A copy of `src/` in a temporary folder, with `edit` applied to the file
/// `rel`; the violations found there.
fn planted(rel: &str, edit: impl FnOnce(String) -> String) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("src");
    copy_dir(&src(), &root);
    let file = root.join(rel);
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, edit(text)).unwrap();
    all_violations(&root)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// `text` with `code` appended at the end of the file.
fn append(code: &str) -> impl FnOnce(String) -> String + '_ {
    move |text| format!("{text}\n{code}\n")
}

fn assert_caught(found: &[String], what: &str) {
    assert!(
        found.iter().any(|v| v.contains(what)),
        "the planted violation ({what}) was not caught; found:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_tree_as_it_stands_breaks_no_rule() {
    let found = all_violations(&src());
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn planted_sql_after_a_cfg_test_item_in_a_pane_is_caught() {
    // The old line-based reader stopped at the first `#[cfg(test)]` line:
    // what came after it was never read.
    let found = planted(
        "app/reader_ui.rs",
        append(
            "#[cfg(test)]\nfn helper_for_tests() {}\n\
             fn planted() { let _ = rusqlite::Connection::open_in_memory(); \
             let _ = std::net::TcpStream::connect(\"127.0.0.1:1\"); }",
        ),
    );
    assert_caught(&found, "may not touch `rusqlite`");
    assert_caught(&found, "may not touch `std::net`");
}

#[test]
fn planted_grouped_and_relative_imports_are_caught() {
    let found = planted(
        "library/store.rs",
        append("#[allow(unused_imports)]\nuse crate::{app::{Action}, jobs};"),
    );
    assert_caught(&found, "`library` may not touch `crate::app`");
    assert_caught(&found, "`library` may not touch `crate::jobs`");
    let found = planted(
        "library/store.rs",
        append("#[allow(unused_imports)]\nuse super::super::export::ExportFormat;"),
    );
    assert_caught(&found, "`library` may not touch `crate::export`");
}

#[test]
fn planted_inline_and_macro_paths_are_caught() {
    let found = planted(
        "model/date.rs",
        append("fn planted() -> bool { crate::library::segment::is_cjk('x') }"),
    );
    assert_caught(&found, "`model` may not touch `crate::library`");
    let found = planted(
        "model/date.rs",
        append("fn planted() -> String { format!(\"{:?}\", std::fs::metadata(\".\")) }"),
    );
    assert_caught(&found, "`model` may not touch `std::fs`");
}

#[test]
fn planted_circle_of_three_is_caught() {
    // codec is the bottom of the library; facade is its top (it imports
    // overview, which imports articles, which imports codec).
    let found = planted(
        "library/codec.rs",
        append(
            "#[allow(dead_code)]\nfn planted(l: &super::facade::Library) -> bool { l.is_read_only() }",
        ),
    );
    assert_caught(&found, "circle of");
    assert_caught(&found, "library::codec -> library::facade");
}

#[test]
fn planted_child_importing_its_parent_is_a_circle() {
    let found = planted(
        "library/types.rs",
        append("#[allow(dead_code)]\nfn planted() -> Option<super::Library> { None }"),
    );
    assert_caught(&found, "library::types -> library");
}

#[test]
fn planted_ui_function_touching_the_worker_library_or_another_pane_is_caught() {
    let found = planted(
        "app/timeline_ui.rs",
        append(
            "#[allow(dead_code)]\nfn planted_ui(c: crate::jobs::Command) -> Option<crate::library::Library> { let _ = c; None }",
        ),
    );
    assert_caught(&found, "`planted_ui` may not touch `crate::jobs`");
    assert_caught(
        &found,
        "`planted_ui` may not touch `crate::library::Library`",
    );
    let found = planted(
        "app/timeline_ui.rs",
        append(
            "use super::inspector_ui::InspectorPane;\n#[allow(dead_code)]\nfn planted_ui(p: &InspectorPane) -> usize { let _ = p; 0 }",
        ),
    );
    assert_caught(
        &found,
        "may not touch another pane's state `crate::app::inspector_ui::InspectorPane`",
    );
}

#[test]
fn the_path_reader_resolves_what_it_should() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("library")).unwrap();
    std::fs::write(root.join("lib.rs"), "pub mod library;\n").unwrap();
    std::fs::write(
        root.join("library/mod.rs"),
        "mod store;\npub use store::Thing;\nuse self::store as s;\nfn f() { let _ = s::Thing; }\n",
    )
    .unwrap();
    std::fs::write(
        root.join("library/store.rs"),
        "use super::super::library::{self as lib};\npub struct Thing;\n\
         #[cfg(test)]\nmod tests { use super::*; fn t() { let _ = rusqlite::Connection::open_in_memory(); } }\n\
         fn g() { let _ = lib::Thing; let _ = egui::Context::default(); }\n",
    )
    .unwrap();
    let files = read_tree(root);
    let store = files
        .iter()
        .find(|f| f.module == ["library", "store"])
        .unwrap();
    let absolute: Vec<&str> = store.used.iter().map(|u| u.absolute.as_str()).collect();
    assert!(absolute.contains(&"crate::library"), "{absolute:?}");
    assert!(absolute.contains(&"crate::library::Thing"), "{absolute:?}");
    assert!(absolute.contains(&"egui::Context::default"), "{absolute:?}");
    // The test module is skipped by the parser.
    assert!(
        !absolute.iter().any(|a| a.starts_with("rusqlite")),
        "{absolute:?}"
    );
    let module = files.iter().find(|f| f.module == ["library"]).unwrap();
    let absolute: Vec<&str> = module.used.iter().map(|u| u.absolute.as_str()).collect();
    assert!(
        absolute.contains(&"crate::library::store::Thing"),
        "{absolute:?}"
    );
    // A circle of two: library/mod.rs uses store, store uses library.
    assert!(!circles(&files).is_empty());
}

/// Every `.rs` file under `root` (recursively), with its line count.
fn line_counts(root: &Path) -> Vec<(PathBuf, usize)> {
    let mut out = Vec::new();
    let mut dirs = vec![root.to_owned()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "fixtures") {
                    dirs.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                out.push((path, text.lines().count()));
            }
        }
    }
    out
}

/// Issue 22: no file over 800 lines without a reason written at its top
/// (a `Long because` line in its first 40 lines); the reasons are few.
#[test]
fn a_file_over_800_lines_says_why_at_its_top() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut long = Vec::new();
    let mut unexplained = Vec::new();
    for dir in ["src", "tests", "benches"] {
        for (path, lines) in line_counts(&root.join(dir)) {
            if lines <= 800 {
                continue;
            }
            long.push(path.clone());
            let text = std::fs::read_to_string(&path).unwrap();
            if !text.lines().take(40).any(|l| l.contains("Long because")) {
                unexplained.push(format!("{} ({lines} lines)", path.display()));
            }
        }
    }
    assert!(
        unexplained.is_empty(),
        "over 800 lines with no reason: {unexplained:#?}"
    );
    assert!(long.len() <= 16, "the reasons are few: {long:#?}");
}
