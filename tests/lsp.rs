//! `callboard lsp` driven through lsp-server's in-memory connection, the way an editor drives it:
//! initialize, diagnostics on open and as they change (appearing and clearing, across files),
//! hover, definition, references, rename, completion, code actions, shutdown.

use std::path::{Path, PathBuf};
use std::thread::JoinHandle;
use std::time::Duration;

use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use serde_json::{Value, json};

mod common;
use common::copy_dir;

struct Client {
    connection: Connection,
    server: Option<JoinHandle<anyhow::Result<callboard::commands::Outcome>>>,
    next_id: i32,
    /// Notifications received while waiting for a response.
    notifications: Vec<Notification>,
}

/// No message in this long means the server is stuck (not a timing assertion: every wait
/// ends as soon as the message comes).
const STUCK: Duration = Duration::from_secs(15);

impl Client {
    fn start(root: &Path, capabilities: Value) -> Client {
        let (server_side, client_side) = Connection::memory();
        let server =
            std::thread::spawn(move || callboard::commands::lsp::serve(&server_side, None));
        let mut client = Client {
            connection: client_side,
            server: Some(server),
            next_id: 0,
            notifications: Vec::new(),
        };
        let uri = url(root);
        let result = client.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": uri,
                "workspaceFolders": [{"uri": uri, "name": "acme"}],
                "capabilities": capabilities,
            }),
        );
        assert!(result["capabilities"]["hoverProvider"].as_bool().unwrap());
        assert_eq!(
            result["capabilities"]["codeActionProvider"]["codeActionKinds"],
            json!(["quickfix"])
        );
        client.notify("initialized", json!({}));
        client
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.try_request(method, params)
            .unwrap_or_else(|e| panic!("{method} failed: {e:?}"))
    }

    fn try_request(
        &mut self,
        method: &str,
        params: Value,
    ) -> Result<Value, lsp_server::ResponseError> {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        self.connection
            .sender
            .send(Message::Request(Request::new(
                id.clone(),
                method.into(),
                params,
            )))
            .unwrap();
        loop {
            match self
                .connection
                .receiver
                .recv_timeout(STUCK)
                .expect("the server answers")
            {
                Message::Response(Response {
                    id: got,
                    response_result,
                }) if got == id => {
                    return response_result;
                }
                Message::Notification(n) => self.notifications.push(n),
                other => panic!("unexpected {other:?}"),
            }
        }
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.connection
            .sender
            .send(Message::Notification(Notification::new(
                method.into(),
                params,
            )))
            .unwrap();
    }

    /// The next diagnostics published for `file` (earlier ones kept aside are used first).
    fn diagnostics_for(&mut self, file: &Path) -> Vec<Value> {
        let uri = url(file);
        let matches = |n: &Notification| {
            n.method == "textDocument/publishDiagnostics" && n.params["uri"] == json!(uri)
        };
        if let Some(i) = self.notifications.iter().position(matches) {
            let n = self.notifications.remove(i);
            return n.params["diagnostics"].as_array().unwrap().clone();
        }
        loop {
            match self
                .connection
                .receiver
                .recv_timeout(STUCK)
                .expect("diagnostics come")
            {
                Message::Notification(n) if matches(&n) => {
                    return n.params["diagnostics"].as_array().unwrap().clone();
                }
                Message::Notification(n) => self.notifications.push(n),
                other => panic!("unexpected {other:?}"),
            }
        }
    }

    fn shutdown(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let outcome = self.server.take().unwrap().join().unwrap().unwrap();
        assert_eq!(outcome, callboard::commands::Outcome::Success);
    }
}

fn url(path: &Path) -> String {
    lsp_types::Url::from_file_path(path).unwrap().to_string()
}

/// examples/acme copied into a fresh directory (with a canary beside it that must stay as it is).
fn acme() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("acme");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme"),
        &root,
    );
    let canary = dir.path().join("canary.txt");
    std::fs::write(&canary, "canary\n").unwrap();
    (dir, root, canary)
}

fn open(client: &mut Client, file: &Path, text: &str) {
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": url(file), "languageId": "yaml", "version": 1, "text": text}}),
    );
}

fn change(client: &mut Client, file: &Path, version: i32, text: &str) {
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": url(file), "version": version}, "contentChanges": [{"text": text}]}),
    );
}

fn at(file: &Path, line: u32, character: u32) -> Value {
    json!({"textDocument": {"uri": url(file)}, "position": {"line": line, "character": character}})
}

/// The 0-based line and column of the first `needle` in `text`.
fn find(text: &str, needle: &str) -> (u32, u32) {
    let offset = text.find(needle).unwrap();
    let line = text[..offset].matches('\n').count();
    let column = offset - text[..offset].rfind('\n').map_or(0, |i| i + 1);
    (line as u32, column as u32)
}

fn completion_labels(client: &mut Client, at: Value) -> Vec<String> {
    let items = client.request("textDocument/completion", at);
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_string())
        .collect()
}

fn codes(diagnostics: &[Value]) -> Vec<&str> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect()
}

#[test]
fn an_edit_shows_its_error_and_fixing_it_clears_it() {
    let (_dir, root, canary) = acme();
    let mut client = Client::start(&root, json!({}));
    let file = root.join("services/checkout-service/catalog-info.yaml");
    let good = std::fs::read_to_string(&file).unwrap();
    open(&mut client, &file, &good);

    let bad = good.replacen("owner: team-checkout", "owner: team-nobody", 1);
    change(&mut client, &file, 2, &bad);
    let diagnostics = client.diagnostics_for(&file);
    assert_eq!(codes(&diagnostics), ["unresolved-ref"], "{diagnostics:?}");
    // The message of `catalog validate`, at the reference.
    assert_eq!(
        diagnostics[0]["message"]
            .as_str()
            .unwrap()
            .lines()
            .next()
            .unwrap(),
        "spec.owner refers to group:default/team-nobody, which is not in the catalog"
    );
    let (line, column) = find(&bad, "team-nobody");
    assert_eq!(
        diagnostics[0]["range"]["start"],
        json!({"line": line, "character": column})
    );
    assert_eq!(
        diagnostics[0]["codeDescription"]["href"],
        json!(
            "https://github.com/callboard-dev/callboard/blob/main/docs/diagnostics.md#unresolved-ref"
        )
    );

    change(&mut client, &file, 3, &good);
    assert_eq!(client.diagnostics_for(&file), Vec::<Value>::new());
    // Nothing was written, and nothing outside the workspace touched.
    assert_eq!(std::fs::read_to_string(&file).unwrap(), good);
    assert_eq!(std::fs::read_to_string(&canary).unwrap(), "canary\n");
    client.shutdown();
}

#[test]
fn an_edit_in_one_file_updates_the_files_that_refer_to_it() {
    let (_dir, root, _canary) = acme();
    let mut client = Client::start(&root, json!({}));
    let groups = root.join("org/groups.yaml");
    let service = root.join("services/checkout-service/catalog-info.yaml");
    let text = std::fs::read_to_string(&groups).unwrap();
    open(&mut client, &groups, &text);
    // The group the service's owner names disappears: the service gets the finding.
    change(
        &mut client,
        &groups,
        2,
        &text.replace("name: team-checkout", "name: team-checkout-2"),
    );
    let diagnostics = client.diagnostics_for(&service);
    assert!(
        codes(&diagnostics).contains(&"unresolved-ref"),
        "{diagnostics:?}"
    );
    // The parent group's `children` names it too.
    let in_groups = client.diagnostics_for(&groups);
    assert_eq!(codes(&in_groups), ["unresolved-ref"], "{in_groups:?}");
    // A copy of another group: both definitions are duplicates, as `catalog validate` says.
    change(
        &mut client,
        &groups,
        3,
        &text.replace("name: team-checkout", "name: team-ledger"),
    );
    let in_groups = client.diagnostics_for(&groups);
    assert_eq!(
        codes(&in_groups)
            .iter()
            .filter(|c| **c == "duplicate-entity")
            .count(),
        2,
        "{in_groups:?}"
    );
    // Closing the buffer returns to the file on disk: every finding clears.
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": url(&groups)}}),
    );
    assert_eq!(client.diagnostics_for(&groups), Vec::<Value>::new());
    assert_eq!(client.diagnostics_for(&service), Vec::<Value>::new());
    client.shutdown();
}

#[test]
fn a_file_outside_the_workspace_is_checked_alone() {
    let (dir, root, canary) = acme();
    let mut client = Client::start(&root, json!({}));
    let outside = dir.path().join("elsewhere.yaml");
    let text = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: Not_Valid!\n  tags: [Go]\n  description:\n    $text: ../canary.txt\nspec:\n  type: service\n  lifecycle: production\n  owner: team-checkout\n";
    open(&mut client, &outside, text);
    let diagnostics = client.diagnostics_for(&outside);
    let codes = codes(&diagnostics);
    assert!(codes.contains(&"invalid-name"), "{diagnostics:?}");
    // No workspace reads: its owner is not looked up in the workspace's catalog.
    assert!(!codes.contains(&"unresolved-ref"));
    // Nor fixed from it: no code action, not even for a tag.
    assert!(codes.contains(&"invalid-tag"), "{diagnostics:?}");
    let whole = json!({"start": {"line": 0, "character": 0}, "end": {"line": 99, "character": 0}});
    assert_eq!(
        code_actions(&mut client, &outside, whole, &diagnostics),
        Vec::<Value>::new()
    );
    assert_eq!(std::fs::read_to_string(&canary).unwrap(), "canary\n");
    client.shutdown();
}

#[test]
fn hover_definition_references_rename_and_completion_answer_from_the_catalog() {
    let (_dir, root, _canary) = acme();
    // UTF-8 positions offered: the server takes them.
    let mut client = Client::start(
        &root,
        json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}}),
    );
    let service = root.join("services/checkout-service/catalog-info.yaml");
    let groups = root.join("org/groups.yaml");
    let text = std::fs::read_to_string(&service).unwrap();
    open(&mut client, &service, &text);

    let (line, column) = find(&text, "team-checkout");
    let hover = client.request("textDocument/hover", at(&service, line, column + 2));
    let shown = hover["contents"]["value"].as_str().unwrap();
    assert!(shown.contains("group:default/team-checkout"), "{shown}");
    assert!(
        shown.contains("(Group)") && shown.contains("org/groups.yaml:"),
        "{shown}"
    );

    let (kind_line, _) = find(&text, "kind: Component");
    let hover = client.request("textDocument/hover", at(&service, kind_line, 7));
    let shown = hover["contents"]["value"].as_str().unwrap();
    assert!(
        shown.contains("descriptor-format#kind-component"),
        "{shown}"
    );

    let definition = client.request("textDocument/definition", at(&service, line, column));
    assert_eq!(definition["uri"], json!(url(&groups)));
    let groups_text = std::fs::read_to_string(&groups).unwrap();
    let (name_line, _) = find(&groups_text, "name: team-checkout");
    assert_eq!(definition["range"]["start"]["line"], json!(name_line));

    let references = client.request(
        "textDocument/references",
        json!({"textDocument": {"uri": url(&service)}, "position": {"line": line, "character": column}, "context": {"includeDeclaration": false}}),
    );
    let uris: Vec<&str> = references
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["uri"].as_str().unwrap())
        .collect();
    assert!(uris.contains(&url(&service).as_str()), "{uris:?}");
    assert!(
        uris.len() >= 2,
        "team-checkout owns more than one entity: {uris:?}"
    );

    // Rename refuses what is not an entity, and renames one with `catalog rename`'s edits.
    let (type_line, type_column) = find(&text, "type: service");
    let refused = client.try_request(
        "textDocument/prepareRename",
        at(&service, type_line, type_column + 7),
    );
    assert!(refused.is_err());
    let prepared = client.request("textDocument/prepareRename", at(&service, line, column));
    assert_eq!(prepared["placeholder"], json!("team-checkout"));
    let mut params = at(&service, line, column);
    params["newName"] = json!("team-payments");
    let edit = client.request("textDocument/rename", params);
    let changes = edit["changes"].as_object().unwrap();
    assert!(changes.contains_key(&url(&groups)), "{edit}");
    assert!(changes.contains_key(&url(&service)), "{edit}");
    let edits = changes[&url(&service)].as_array().unwrap();
    assert!(edits.iter().any(|e| {
        e["newText"]
            .as_str()
            .unwrap()
            .contains("owner: team-payments")
    }));
    // A plan, not a write.
    assert_eq!(std::fs::read_to_string(&service).unwrap(), text);

    // Completion of an owner: the groups and users of the catalog.
    let typed = text.replace("owner: team-checkout", "owner: team-");
    change(&mut client, &service, 2, &typed);
    let (owner_line, owner_column) = find(&typed, "owner: team-");
    let labels = completion_labels(&mut client, at(&service, owner_line, owner_column + 12));
    assert!(
        labels.iter().any(|l| l == "team-ledger") && labels.iter().any(|l| l == "team-checkout"),
        "{labels:?}"
    );
    assert!(labels.iter().all(|l| l.starts_with("team-")), "{labels:?}");
    // Kinds at `kind:`.
    let (kind_line, _) = find(&typed, "kind: Component");
    let labels = completion_labels(&mut client, at(&service, kind_line, 6));
    assert!(
        labels.iter().any(|l| l == "Component") && labels.iter().any(|l| l == "API"),
        "{labels:?}"
    );
    client.shutdown();
}

#[test]
fn the_start_publishes_what_catalog_validate_reports() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("broken");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/broken"),
        &root,
    );
    let mut client = Client::start(&root, json!({}));
    // Every diagnostic of the start is sent before the first answer.
    client.request("textDocument/hover", at(&root.join("none.yaml"), 0, 0));
    let mut published: Vec<(String, String, u64, u64)> = Vec::new();
    let notifications = std::mem::take(&mut client.notifications);
    let logged: Vec<&Notification> = notifications
        .iter()
        .filter(|n| n.method == "window/logMessage")
        .collect();
    assert!(
        logged[0].params["message"]
            .as_str()
            .unwrap()
            .contains("32 catalog files checked")
    );
    for n in notifications
        .iter()
        .filter(|n| n.method == "textDocument/publishDiagnostics")
    {
        let file = lsp_types::Url::parse(n.params["uri"].as_str().unwrap())
            .unwrap()
            .to_file_path()
            .unwrap();
        let file = file.strip_prefix(&root).unwrap().display().to_string();
        for d in n.params["diagnostics"].as_array().unwrap() {
            // Paths in messages are absolute here, relative to the working directory there.
            let message = d["message"].as_str().unwrap().lines().next().unwrap();
            let message = message.replace(&format!("{}/", root.display()), "");
            published.push((
                file.clone(),
                format!("{} {}", d["code"].as_str().unwrap(), message),
                d["range"]["start"]["line"].as_u64().unwrap() + 1,
                d["range"]["start"]["character"].as_u64().unwrap() + 1,
            ));
        }
    }
    let output = assert_cmd::Command::cargo_bin("callboard")
        .unwrap()
        .args(["catalog", "validate", "--format", "json", "."])
        .current_dir(&root)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let mut validated: Vec<(String, String, u64, u64)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"]
                    .as_str()
                    .unwrap()
                    .trim_start_matches("./")
                    .to_string(),
                format!(
                    "{} {}",
                    d["code"].as_str().unwrap(),
                    d["message"].as_str().unwrap()
                ),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect();
    published.sort();
    validated.sort();
    assert!(validated.len() > 30, "{validated:?}");
    assert_eq!(published, validated);
    client.shutdown();
}

#[test]
fn templates_and_their_skeleton_files_get_scaffold_lint_findings() {
    let (_dir, root, _canary) = acme();
    let mut client = Client::start(&root, json!({}));
    let template = root.join("templates/go-service/template.yaml");
    let text = std::fs::read_to_string(&template).unwrap();
    open(&mut client, &template, &text);
    let broken = text.replace("${{ parameters.name }}", "${{ parameters.nme }}");
    change(&mut client, &template, 2, &broken);
    let diagnostics = client.diagnostics_for(&template);
    assert_eq!(
        codes(&diagnostics),
        ["undefined-variable"],
        "{diagnostics:?}"
    );
    let (line, _) = find(&broken, "parameters.nme");
    assert_eq!(diagnostics[0]["range"]["start"]["line"], json!(line));
    change(&mut client, &template, 3, &text);
    assert_eq!(client.diagnostics_for(&template), Vec::<Value>::new());

    // A skeleton file is linted as saved.
    let readme = root.join("templates/go-service/skeleton/README.md");
    let mut saved = std::fs::read_to_string(&readme).unwrap();
    saved.push_str("\n${{ values.nme }}\n");
    std::fs::write(&readme, &saved).unwrap();
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": url(&readme)}}),
    );
    let diagnostics = client.diagnostics_for(&readme);
    assert_eq!(
        codes(&diagnostics),
        ["undefined-variable"],
        "{diagnostics:?}"
    );
    client.shutdown();
}

/// The same session through a real client over stdio: pytest-lsp (installed by .ci/run) runs
/// tests/lsp/ against this build's binary. Fails, never skips, when pytest-lsp is missing.
#[test]
#[ignore = "needs python3 with pytest-lsp (pip install pytest-lsp==1.0.1); .ci/run runs it"]
fn pytest_lsp_drives_the_server_over_stdio() {
    let output = std::process::Command::new("python3")
        .args(["-m", "pytest", "-q", "tests/lsp"])
        .env("CALLBOARD_BIN", env!("CARGO_BIN_EXE_callboard"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("python3 runs");
    let shown = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "{shown}");
    assert!(shown.contains("2 passed"), "{shown}");
}

#[test]
fn an_invalid_configuration_is_shown_and_the_defaults_apply() {
    let (_dir, root, _canary) = acme();
    std::fs::write(
        root.join(".callboard.yaml"),
        "severity:\n  no-such-code: error\n",
    )
    .unwrap();
    let mut client = Client::start(&root, json!({}));
    // Every message of the start comes before the first answer.
    client.request("textDocument/hover", at(&root.join("none.yaml"), 0, 0));
    let shown: Vec<&Notification> = client
        .notifications
        .iter()
        .filter(|n| n.method == "window/showMessage")
        .collect();
    assert_eq!(shown.len(), 1, "{:?}", client.notifications);
    assert_eq!(shown[0].params["type"], json!(1));
    let message = shown[0].params["message"].as_str().unwrap();
    assert!(
        message.contains("invalid configuration") && message.contains("no-such-code"),
        "{message}"
    );
    // Checked with the defaults: an error still shows.
    let file = root.join("services/checkout-service/catalog-info.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    open(
        &mut client,
        &file,
        &text.replacen("    - go\n", "    - Go\n", 1),
    );
    assert_eq!(codes(&client.diagnostics_for(&file)), ["invalid-tag"]);
    client.shutdown();
}

#[test]
fn locations_follow_the_files_they_reach_and_their_own_targets() {
    let (_dir, root, _canary) = acme();
    let mut client = Client::start(&root, json!({}));
    let location = root.join("catalog-info.yaml");
    let users = root.join("org/users.yaml");
    let users_text = std::fs::read_to_string(&users).unwrap();
    open(&mut client, &users, &users_text);
    // A file a Location reaches becomes unreadable: the Location fails, as Backstage's would.
    change(
        &mut client,
        &users,
        2,
        &format!("{users_text}\n---\n- not an entity\n"),
    );
    let at_location = client.diagnostics_for(&location);
    assert_eq!(
        codes(&at_location),
        ["location-target-invalid"],
        "{at_location:?}"
    );
    assert_eq!(codes(&client.diagnostics_for(&users)), ["root-not-mapping"]);
    change(&mut client, &users, 3, &users_text);
    assert_eq!(client.diagnostics_for(&location), Vec::<Value>::new());
    // The Location's own targets are resolved again when it changes.
    let text = std::fs::read_to_string(&location).unwrap();
    open(&mut client, &location, &text);
    let added = text.replacen(
        "    - ./org/users.yaml\n",
        "    - ./org/users.yaml\n    - ./org/contractors.yaml\n",
        1,
    );
    change(&mut client, &location, 2, &added);
    assert_eq!(
        codes(&client.diagnostics_for(&location)),
        ["location-target-missing"]
    );
    client.shutdown();
}

#[test]
fn a_buffer_over_the_file_size_limit_is_reported_not_parsed() {
    let (_dir, root, _canary) = acme();
    let mut client = Client::start(&root, json!({}));
    let file = root.join("services/checkout-service/catalog-info.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    let huge = format!("{text}# {}\n", "x".repeat(16 * 1024 * 1024));
    open(&mut client, &file, &huge);
    assert_eq!(codes(&client.diagnostics_for(&file)), ["file-too-large"]);
    // Back under the limit: checked again.
    change(&mut client, &file, 2, &text);
    assert_eq!(client.diagnostics_for(&file), Vec::<Value>::new());
    client.shutdown();
}

/// The quick fixes the server offers for `diagnostics` (none: for its own in `range`).
fn code_actions(
    client: &mut Client,
    file: &Path,
    range: Value,
    diagnostics: &[Value],
) -> Vec<Value> {
    let answer = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": url(file)}, "range": range, "context": {"diagnostics": diagnostics}}),
    );
    answer.as_array().unwrap().clone()
}

/// The byte offset of a client position counted in UTF-16 units (the protocol's default).
fn byte_offset(text: &str, position: &Value) -> usize {
    let line = position["line"].as_u64().unwrap() as usize;
    let character = position["character"].as_u64().unwrap() as usize;
    let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if units == character {
            return start + i;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// `text` with the edits of `action` for `file` applied, as an editor applies them.
fn apply_action(text: &str, action: &Value, file: &Path) -> String {
    let changes = action["edit"]["changes"].as_object().unwrap();
    assert_eq!(changes.len(), 1, "{action}");
    let mut edits: Vec<(usize, usize, &str)> = changes[&url(file)]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                byte_offset(text, &e["range"]["start"]),
                byte_offset(text, &e["range"]["end"]),
                e["newText"].as_str().unwrap(),
            )
        })
        .collect();
    edits.sort();
    let mut out = text.to_string();
    for (start, end, new) in edits.into_iter().rev() {
        out.replace_range(start..end, new);
    }
    out
}

/// The range of the first `needle` in `text`, in UTF-16 units.
fn range_of(text: &str, needle: &str) -> Value {
    let offset = text.find(needle).unwrap();
    let line = text[..offset].matches('\n').count();
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..offset].encode_utf16().count();
    let width = needle.encode_utf16().count();
    json!({"start": {"line": line, "character": column}, "end": {"line": line, "character": column + width}})
}

/// A session on a copy of examples/acme (a canary beside it), and checkout-service's file with
/// its text on disk.
fn checkout_service() -> (tempfile::TempDir, Client, PathBuf, String) {
    let (dir, root, _canary) = acme();
    let client = Client::start(&root, json!({}));
    let file = root.join("services/checkout-service/catalog-info.yaml");
    let disk = std::fs::read_to_string(&file).unwrap();
    (dir, client, file, disk)
}

fn titles(actions: &[Value]) -> Vec<&str> {
    actions
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect()
}

#[test]
fn a_quick_fix_lowercases_a_tag_and_applying_it_clears_the_diagnostic() {
    let (dir, mut client, file, disk) = checkout_service();
    let canary = dir.path().join("canary.txt");
    let text = disk.replacen("    - go\n", "    - Go\n", 1);
    open(&mut client, &file, &text);
    let diagnostics = client.diagnostics_for(&file);
    assert_eq!(codes(&diagnostics), ["invalid-tag"]);
    let actions = code_actions(
        &mut client,
        &file,
        diagnostics[0]["range"].clone(),
        &diagnostics,
    );
    assert_eq!(titles(&actions), ["Lowercase tag `Go`"], "{actions:?}");
    assert_eq!(actions[0]["kind"], json!("quickfix"));
    assert_eq!(actions[0]["isPreferred"], json!(true));
    assert_eq!(actions[0]["diagnostics"], json!([diagnostics[0]]));
    let fixed = apply_action(&text, &actions[0], &file);
    assert_eq!(fixed, disk);
    change(&mut client, &file, 2, &fixed);
    assert_eq!(client.diagnostics_for(&file), Vec::<Value>::new());
    // A plan, not a write: the editor applies it.
    assert_eq!(std::fs::read_to_string(&file).unwrap(), disk);
    assert_eq!(std::fs::read_to_string(&canary).unwrap(), "canary\n");
    client.shutdown();
}

#[test]
fn a_near_miss_reference_gets_the_closest_entity_and_no_obvious_fix_gets_no_action() {
    let (_dir, mut client, file, disk) = checkout_service();
    // A typo in the owner, and a tag lowercasing does not make valid.
    let text = disk
        .replacen("owner: team-checkout", "owner: team-chekout", 1)
        .replacen("    - rest\n", "    - Rest API\n", 1);
    open(&mut client, &file, &text);
    let diagnostics = client.diagnostics_for(&file);
    assert_eq!(
        codes(&diagnostics),
        ["invalid-tag", "unresolved-ref"],
        "{diagnostics:?}"
    );
    let actions = code_actions(
        &mut client,
        &file,
        range_of(&text, "team-chekout"),
        &diagnostics[1..],
    );
    assert_eq!(actions.len(), 1, "{actions:?}");
    assert!(titles(&actions)[0].contains("team-checkout"), "{actions:?}");
    assert_eq!(
        apply_action(&text, &actions[0], &file),
        text.replacen("team-chekout", "team-checkout", 1)
    );
    let none = code_actions(
        &mut client,
        &file,
        diagnostics[0]["range"].clone(),
        &diagnostics[..1],
    );
    assert_eq!(none, Vec::<Value>::new());
    // A diagnostic the server did not publish (another code at that range) is not matched.
    let mut foreign = diagnostics[1].clone();
    foreign["code"] = json!("invalid-name");
    assert_eq!(
        code_actions(&mut client, &file, foreign["range"].clone(), &[foreign]),
        Vec::<Value>::new()
    );
    // A client that asks only for other kinds of action gets none.
    let only = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": url(&file)}, "range": diagnostics[1]["range"], "context": {"diagnostics": &diagnostics[1..], "only": ["refactor"]}}),
    );
    assert_eq!(only, json!([]));
    client.shutdown();
}

#[test]
fn an_action_on_an_unsaved_buffer_is_computed_on_the_buffer() {
    let (_dir, mut client, file, disk) = checkout_service();
    open(&mut client, &file, &disk);
    // Typed, not saved: two lines more above the tag than on disk.
    let typed = disk.replacen("    - go\n", "    - Go\n", 1).replacen(
        "  tags:\n",
        "  # typed\n  # not saved\n  tags:\n",
        1,
    );
    change(&mut client, &file, 2, &typed);
    // No diagnostics sent (some clients send none): the server's own in the range count.
    let range = range_of(&typed, "Go");
    let actions = code_actions(
        &mut client,
        &file,
        json!({"start": range["start"], "end": range["start"]}),
        &[],
    );
    assert_eq!(titles(&actions), ["Lowercase tag `Go`"], "{actions:?}");
    let edit = &actions[0]["edit"]["changes"][url(&file)][0];
    assert_eq!(edit["range"], range);
    assert_eq!(
        apply_action(&typed, &actions[0], &file),
        typed.replacen("- Go", "- go", 1)
    );
    // Elsewhere in the buffer: nothing to fix there.
    let elsewhere = range_of(&typed, "kind: Component");
    assert_eq!(
        code_actions(&mut client, &file, elsewhere, &[]),
        Vec::<Value>::new()
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), disk);
    client.shutdown();
}

#[test]
fn action_ranges_count_utf16_units_after_non_ascii_text() {
    let (_dir, mut client, file, disk) = checkout_service();
    // "é" is one UTF-16 unit and two bytes, "𝄞" two units and four bytes: on the line above
    // and before the tag on its own line.
    let text = disk
        .replacen(
            "  title: Checkout Service\n",
            "  title: Checkout Service é𝄞\n",
            1,
        )
        .replacen("  tags:\n    - go\n", "  tags: [\"é𝄞\", Go,\n", 1)
        .replacen("    - pci-dss\n", "    pci-dss]\n", 1)
        .replacen("    - rest\n", "    rest,\n", 1);
    open(&mut client, &file, &text);
    let diagnostics = client.diagnostics_for(&file);
    assert_eq!(
        codes(&diagnostics),
        ["invalid-tag", "invalid-tag"],
        "{diagnostics:?}"
    );
    let actions = code_actions(&mut client, &file, range_of(&text, "Go"), &diagnostics);
    assert_eq!(titles(&actions), ["Lowercase tag `Go`"], "{actions:?}");
    let edit = &actions[0]["edit"]["changes"][url(&file)][0];
    assert_eq!(edit["range"], range_of(&text, "Go"));
    let fixed = apply_action(&text, &actions[0], &file);
    assert_eq!(fixed, text.replacen(" Go,", " go,", 1));
    change(&mut client, &file, 2, &fixed);
    assert_eq!(codes(&client.diagnostics_for(&file)), ["invalid-tag"]);
    client.shutdown();
}
