"""`callboard lsp` driven over stdio by pytest-lsp, a real LSP client, on a copy of examples/acme:
initialize, didOpen, publishDiagnostics, didChange (an error appears and clears), hover,
definition, references, rename, completion, codeAction (its edit applied), shutdown.

Run from the repository root after `cargo build`: `python3 -m pytest tests/lsp`
(CALLBOARD_BIN names another binary)."""

import os
import pathlib
import shutil
import tempfile

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

REPO = pathlib.Path(__file__).resolve().parents[2]
BINARY = os.environ.get("CALLBOARD_BIN", str(REPO / "target" / "debug" / "callboard"))


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[BINARY, "lsp", "--stdio"]))
async def client(lsp_client: LanguageClient):
    workspace = pathlib.Path(tempfile.mkdtemp()) / "acme"
    shutil.copytree(REPO / "examples" / "acme", workspace)
    lsp_client.workspace = workspace
    result = await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=workspace.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=workspace.as_uri(), name="acme")],
        )
    )
    assert result.capabilities.hover_provider
    code_actions = result.capabilities.code_action_provider
    assert list(code_actions.code_action_kinds) == [types.CodeActionKind.QuickFix]
    yield
    await lsp_client.shutdown_session()
    shutil.rmtree(workspace.parent)


def position_of(text: str, needle: str, offset: int = 0) -> types.Position:
    before = text[: text.index(needle)]
    line = before.count("\n")
    return types.Position(line=line, character=len(before) - (before.rfind("\n") + 1) + offset)


def offset_of(text: str, position: types.Position) -> int:
    """The index in `text` of a position counted in UTF-16 units (the protocol's default)."""
    start = sum(len(line) for line in text.splitlines(keepends=True)[: position.line])
    units = 0
    for i, c in enumerate(text[start:]):
        if units >= position.character or c == "\n":
            return start + i
        units += 2 if ord(c) > 0xFFFF else 1
    return len(text)


def applied(text: str, edits) -> str:
    """`text` with text edits applied, as an editor applies them (last first)."""
    spans = sorted(
        ((offset_of(text, e.range.start), offset_of(text, e.range.end), e.new_text) for e in edits),
        reverse=True,
    )
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


async def diagnostics_after(client: LanguageClient, uri: str):
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    while uri not in client.diagnostics:
        await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return client.diagnostics[uri]


async def test_the_editing_session(client: LanguageClient):
    service = client.workspace / "services" / "checkout-service" / "catalog-info.yaml"
    groups = client.workspace / "org" / "groups.yaml"
    uri = service.as_uri()
    text = service.read_text()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=text)
        )
    )

    # An error appears as it is typed...
    broken = text.replace("owner: team-checkout", "owner: team-nobody", 1)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=broken)],
        )
    )
    found = await diagnostics_after(client, uri)
    assert [d.code for d in found] == ["unresolved-ref"]
    assert found[0].message.startswith(
        "spec.owner refers to group:default/team-nobody, which is not in the catalog"
    )
    assert found[0].range.start == position_of(broken, "team-nobody")

    # ... and clears when it is fixed.
    client.diagnostics.pop(uri)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=3),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )
    assert list(await diagnostics_after(client, uri)) == []

    owner = position_of(text, "team-checkout", 2)
    at = types.TextDocumentIdentifier(uri=uri)
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=at, position=owner)
    )
    assert "group:default/team-checkout" in hover.contents.value
    assert "(Group)" in hover.contents.value

    definition = await client.text_document_definition_async(
        types.DefinitionParams(text_document=at, position=owner)
    )
    assert definition.uri == groups.as_uri()
    assert definition.range.start.line == position_of(groups.read_text(), "name: team-checkout").line

    references = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=at,
            position=owner,
            context=types.ReferenceContext(include_declaration=True),
        )
    )
    assert uri in [r.uri for r in references]
    assert groups.as_uri() in [r.uri for r in references]

    edit = await client.text_document_rename_async(
        types.RenameParams(text_document=at, position=owner, new_name="team-payments")
    )
    assert set(edit.changes) >= {uri, groups.as_uri()}
    assert any("owner: team-payments" in e.new_text for e in edit.changes[uri])
    assert service.read_text() == text, "rename plans, the editor applies"

    typed = text.replace("owner: team-checkout", "owner: team-", 1)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=4),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=typed)],
        )
    )
    completion = await client.text_document_completion_async(
        types.CompletionParams(text_document=at, position=position_of(typed, "owner: team-", 12))
    )
    items = completion.items if hasattr(completion, "items") else completion
    labels = [i.label for i in items]
    assert "team-ledger" in labels and "team-checkout" in labels


async def test_a_quick_fix_applied_clears_its_diagnostic(client: LanguageClient):
    service = client.workspace / "services" / "checkout-service" / "catalog-info.yaml"
    uri = service.as_uri()
    text = service.read_text().replace("    - go\n", "    - Go\n", 1)
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=text)
        )
    )
    found = await diagnostics_after(client, uri)
    assert [d.code for d in found] == ["invalid-tag"]

    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=found[0].range,
            context=types.CodeActionContext(diagnostics=found),
        )
    )
    assert [a.title for a in actions] == ["Lowercase tag `Go`"]
    assert actions[0].kind == types.CodeActionKind.QuickFix and actions[0].is_preferred
    fixed = applied(text, actions[0].edit.changes[uri])
    assert fixed == service.read_text(), "the fix is the file as it was"

    client.diagnostics.pop(uri)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=fixed)],
        )
    )
    assert "invalid-tag" not in [d.code for d in await diagnostics_after(client, uri)]
