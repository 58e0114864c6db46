
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'callboard' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'callboard'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'callboard' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('catalog', 'catalog', [CompletionResultType]::ParameterValue, 'Work with the catalog: validate, query, edit, rename, migrate, graph')
            [CompletionResult]::new('score', 'score', [CompletionResultType]::ParameterValue, 'Score entities against scorecards (rules, weights, levels, waivers) and gate on the result')
            [CompletionResult]::new('adoption', 'adoption', [CompletionResultType]::ParameterValue, 'Report on portal adoption: the phase, its gates, what blocks the next one and what to do')
            [CompletionResult]::new('scaffold', 'scaffold', [CompletionResultType]::ParameterValue, 'Run Backstage Software Templates locally: list, show, lint, run, batch')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script (bash, zsh, fish, powershell, elvish)')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff) of callboard, or write one page per command into a directory')
            [CompletionResult]::new('merge-results', 'merge-results', [CompletionResultType]::ParameterValue, 'Fold the JSON lines of sharded `scaffold batch` or `scaffold update --all` runs into one result')
            [CompletionResult]::new('lsp', 'lsp', [CompletionResultType]::ParameterValue, 'Run the language server for catalog files (diagnostics, hover, definition, references, rename, completion) on stdio')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'callboard;catalog' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Validate catalog files: Backstage''s rules plus references, duplicates and Location targets')
            [CompletionResult]::new('query', 'query', [CompletionResultType]::ParameterValue, 'Select entities with a filter and print them (table, json, ndjson, refs, files)')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Change fields of the selected entities with minimal textual edits (dry run by default)')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Rename an entity and rewrite every reference to it, in the form each was written')
            [CompletionResult]::new('new', 'new', [CompletionResultType]::ParameterValue, 'Create an entity from its kind''s required fields, checked as `catalog validate` checks it (dry run by default)')
            [CompletionResult]::new('move', 'move', [CompletionResultType]::ParameterValue, 'Move an entity''s YAML document into another file and rewrite the Location targets that named its old file (dry run by default)')
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Apply a named migration (see --list)')
            [CompletionResult]::new('graph', 'graph', [CompletionResultType]::ParameterValue, 'Draw the relations of the selected entities as Graphviz DOT or Mermaid')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'callboard;catalog;validate' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which rules to apply')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the report to FILE instead of standard output')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the report to FILE instead of standard output')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Catalog configuration file (default: .callboard.yaml at the repository root, if present)')
            [CompletionResult]::new('--known-entities', '--known-entities', [CompletionResultType]::ParameterName, 'An export of the portal''s catalog (JSON of /api/catalog/entities, NDJSON, or `catalog query --format ndjson`): references to its entities resolve. Repeatable')
            [CompletionResult]::new('--app-config', '--app-config', [CompletionResultType]::ParameterName, 'Your portal''s app-config: its catalog.rules and per-location rules decide which kinds may come from where (default: app-config*.yaml at the repository root, if any). Repeatable')
            [CompletionResult]::new('--changed-since', '--changed-since', [CompletionResultType]::ParameterName, 'Only report on files changed since the merge-base with REF (references still resolve against the whole catalog)')
            [CompletionResult]::new('--base', '--base', [CompletionResultType]::ParameterName, 'Compare with revision REV (its catalog read from git objects): problems it has too are reported as existing and do not fail the run')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output')
            [CompletionResult]::new('--report', '--report', [CompletionResultType]::ParameterName, 'Also write the report in FORMAT to PATH, from the same evaluation (repeatable), e.g. `--report sarif=callboard.sarif --report json=report.json`. A markdown report takes its own budget as `markdown:comment=PATH` (see --markdown-limit)')
            [CompletionResult]::new('--markdown-limit', '--markdown-limit', [CompletionResultType]::ParameterName, 'The size budget of markdown reports: `comment` (a pull-request comment), `summary` (a step summary, the default) or a number of bytes. The report is cut to fit, most important first, with "N more" lines')
            [CompletionResult]::new('--strict-refs', '--strict-refs', [CompletionResultType]::ParameterName, 'Report references that resolve to no entity as errors, not warnings')
            [CompletionResult]::new('--no-app-config', '--no-app-config', [CompletionResultType]::ParameterName, 'Do not read app-config*.yaml from the repository root')
            [CompletionResult]::new('--deny-warnings', '--deny-warnings', [CompletionResultType]::ParameterName, 'Exit with status 1 when there are warnings, too')
            [CompletionResult]::new('--fix', '--fix', [CompletionResultType]::ParameterName, 'Fix every finding that has one obvious fix, as minimal edits: print the diff (dry run), or with --write apply it and report what remains. Formats: human (the diff) and json')
            [CompletionResult]::new('--write', '--write', [CompletionResultType]::ParameterName, 'With --fix: apply the fixes, every file in one transaction')
            [CompletionResult]::new('--allow-dirty', '--allow-dirty', [CompletionResultType]::ParameterName, 'With --fix --write: write even when the git work tree has uncommitted changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'callboard;catalog;query' {
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'Which entities (default: all)')
            [CompletionResult]::new('--where', '--where', [CompletionResultType]::ParameterName, 'Which entities (default: all)')
            [CompletionResult]::new('--filter', '--filter', [CompletionResultType]::ParameterName, 'Backstage''s filter syntax, as in /api/catalog/entities?filter=…: `kind=component,spec.type=service` (every statement holds; keys and values without case). Repeatable: any of them')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Catalog configuration file (default: .callboard.yaml at the repository root, if present)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'callboard;catalog;edit' {
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'Which entities to change (required unless --filter is given; use ''kind=Component'' or similar to be explicit)')
            [CompletionResult]::new('--where', '--where', [CompletionResultType]::ParameterName, 'Which entities to change (required unless --filter is given; use ''kind=Component'' or similar to be explicit)')
            [CompletionResult]::new('--filter', '--filter', [CompletionResultType]::ParameterName, 'Backstage''s filter syntax, as in /api/catalog/entities?filter=…: `kind=component,spec.type=service` (every statement holds; keys and values without case). Repeatable: any of them')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set a field: PATH=VALUE (VALUE is typed as YAML: 3, true; strings are quoted when needed)')
            [CompletionResult]::new('--unset', '--unset', [CompletionResultType]::ParameterName, 'Remove a field')
            [CompletionResult]::new('--add-tag', '--add-tag', [CompletionResultType]::ParameterName, 'Add a tag to metadata.tags')
            [CompletionResult]::new('--remove-tag', '--remove-tag', [CompletionResultType]::ParameterName, 'Remove a tag from metadata.tags')
            [CompletionResult]::new('--annotate', '--annotate', [CompletionResultType]::ParameterName, 'Set an annotation: KEY=VALUE (always a string)')
            [CompletionResult]::new('--remove-annotation', '--remove-annotation', [CompletionResultType]::ParameterName, 'Remove an annotation')
            [CompletionResult]::new('--rename-key', '--rename-key', [CompletionResultType]::ParameterName, 'Rename an annotation key: OLD NEW')
            [CompletionResult]::new('--add', '--add', [CompletionResultType]::ParameterName, 'Add an item to a list, unless it is there: PATH=VALUE (e.g. spec.dependsOn=component:ledger; the list is created when absent)')
            [CompletionResult]::new('--remove', '--remove', [CompletionResultType]::ParameterName, 'Remove an item from a list: PATH=VALUE (the list goes when it is emptied)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Catalog configuration file (default: .callboard.yaml at the repository root, if present)')
            [CompletionResult]::new('--if-missing', '--if-missing', [CompletionResultType]::ParameterName, 'With --set and --annotate: only add fields that are absent, never change a value')
            [CompletionResult]::new('--write', '--write', [CompletionResultType]::ParameterName, 'Apply the changes (default: dry run, print what would change)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would change and write nothing (the default; for explicit scripts)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Write even if the result has validation errors the original did not have')
            [CompletionResult]::new('--allow-dirty', '--allow-dirty', [CompletionResultType]::ParameterName, 'Write even when the git work tree has uncommitted changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'callboard;catalog;rename' {
            [CompletionResult]::new('--map', '--map', [CompletionResultType]::ParameterName, 'Renames from a CSV file, `old,new` per line (a header line `old,new`, `#` comments and blank lines allowed), all planned and written in one transaction. With --map, every positional argument is a path')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Catalog configuration file (default: .callboard.yaml at the repository root, if present)')
            [CompletionResult]::new('--merge', '--merge', [CompletionResultType]::ParameterName, 'TO exists already: move every reference to FROM onto it (transfer a team''s ownership onto another team) and leave FROM''s definition to be removed by hand')
            [CompletionResult]::new('--write', '--write', [CompletionResultType]::ParameterName, 'Apply the changes (default: dry run, print what would change)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would change and write nothing (the default; for explicit scripts)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Write even if the result has validation errors the original did not have')
            [CompletionResult]::new('--allow-dirty', '--allow-dirty', [CompletionResultType]::ParameterName, 'Write even when the git work tree has uncommitted changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'callboard;catalog;new' {
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The file the entity goes into: appended as a new document, or created')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'metadata.namespace (default: the default namespace, not written)')
            [CompletionResult]::new('--title', '--title', [CompletionResultType]::ParameterName, 'metadata.title')
            [CompletionResult]::new('--description', '--description', [CompletionResultType]::ParameterName, 'metadata.description')
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'spec.owner (Component, API, Resource, System, Domain)')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'spec.type')
            [CompletionResult]::new('--lifecycle', '--lifecycle', [CompletionResultType]::ParameterName, 'spec.lifecycle (Component, API)')
            [CompletionResult]::new('--system', '--system', [CompletionResultType]::ParameterName, 'spec.system (Component, API, Resource)')
            [CompletionResult]::new('--domain', '--domain', [CompletionResultType]::ParameterName, 'spec.domain (System)')
            [CompletionResult]::new('--definition', '--definition', [CompletionResultType]::ParameterName, 'spec.definition (API)')
            [CompletionResult]::new('--parent', '--parent', [CompletionResultType]::ParameterName, 'spec.parent (Group)')
            [CompletionResult]::new('--member-of', '--member-of', [CompletionResultType]::ParameterName, 'spec.memberOf (User); repeatable')
            [CompletionResult]::new('--known-entities', '--known-entities', [CompletionResultType]::ParameterName, 'An export of the portal''s catalog, as for `catalog validate`: references to its entities resolve. Repeatable')
            [CompletionResult]::new('--add-to-location', '--add-to-location', [CompletionResultType]::ParameterName, 'When no Location reaches a new FILE, add it to the spec.targets of the first Location in LOCATION_FILE')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Catalog configuration file (default: .callboard.yaml at the repository root, if present)')
            [CompletionResult]::new('--write', '--write', [CompletionResultType]::ParameterName, 'Apply the changes (default: dry run, print what would change)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would change and write nothing (the default; for explicit scripts)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Write even if the result has validation errors the original did not have')
            [CompletionResult]::new('--allow-dirty', '--allow-dirty', [CompletionResultType]::ParameterName, 'Write even when the git work tree has uncommitted changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'callboard;catalog;move' {
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'The file it goes into: appended as a new document, or created')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Catalog configuration file (default: .callboard.yaml at the repository root, if present)')
            [CompletionResult]::new('--write', '--write', [CompletionResultType]::ParameterName, 'Apply the changes (default: dry run, print what would change)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would change and write nothing (the default; for explicit scripts)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Write even if the result has validation errors the original did not have')
            [CompletionResult]::new('--allow-dirty', '--allow-dirty', [CompletionResultType]::ParameterName, 'Write even when the git work tree has uncommitted changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'callboard;catalog;migrate' {
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Catalog files or directories')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'Migrate only these entities (the filter language of `catalog query`), e.g. one team''s files first')
            [CompletionResult]::new('--where', '--where', [CompletionResultType]::ParameterName, 'Migrate only these entities (the filter language of `catalog query`), e.g. one team''s files first')
            [CompletionResult]::new('--filter', '--filter', [CompletionResultType]::ParameterName, 'Backstage''s filter syntax, as in /api/catalog/entities?filter=…. Repeatable: any of them')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Catalog configuration file (default: .callboard.yaml at the repository root, if present)')
            [CompletionResult]::new('--list', '--list', [CompletionResultType]::ParameterName, 'List the migrations')
            [CompletionResult]::new('--write', '--write', [CompletionResultType]::ParameterName, 'Apply the changes (default: dry run, print what would change)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would change and write nothing (the default; for explicit scripts)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Write even if the result has validation errors the original did not have')
            [CompletionResult]::new('--allow-dirty', '--allow-dirty', [CompletionResultType]::ParameterName, 'Write even when the git work tree has uncommitted changes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'callboard;catalog;graph' {
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'Which entities (default: all)')
            [CompletionResult]::new('--where', '--where', [CompletionResultType]::ParameterName, 'Which entities (default: all)')
            [CompletionResult]::new('--filter', '--filter', [CompletionResultType]::ParameterName, 'Backstage''s filter syntax, as in /api/catalog/entities?filter=…: `kind=component,spec.type=service` (every statement holds; keys and values without case). Repeatable: any of them')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Catalog configuration file (default: .callboard.yaml at the repository root, if present)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'callboard;catalog;help' {
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Validate catalog files: Backstage''s rules plus references, duplicates and Location targets')
            [CompletionResult]::new('query', 'query', [CompletionResultType]::ParameterValue, 'Select entities with a filter and print them (table, json, ndjson, refs, files)')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Change fields of the selected entities with minimal textual edits (dry run by default)')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Rename an entity and rewrite every reference to it, in the form each was written')
            [CompletionResult]::new('new', 'new', [CompletionResultType]::ParameterValue, 'Create an entity from its kind''s required fields, checked as `catalog validate` checks it (dry run by default)')
            [CompletionResult]::new('move', 'move', [CompletionResultType]::ParameterValue, 'Move an entity''s YAML document into another file and rewrite the Location targets that named its old file (dry run by default)')
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Apply a named migration (see --list)')
            [CompletionResult]::new('graph', 'graph', [CompletionResultType]::ParameterValue, 'Draw the relations of the selected entities as Graphviz DOT or Mermaid')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'callboard;catalog;help;validate' {
            break
        }
        'callboard;catalog;help;query' {
            break
        }
        'callboard;catalog;help;edit' {
            break
        }
        'callboard;catalog;help;rename' {
            break
        }
        'callboard;catalog;help;new' {
            break
        }
        'callboard;catalog;help;move' {
            break
        }
        'callboard;catalog;help;migrate' {
            break
        }
        'callboard;catalog;help;graph' {
            break
        }
        'callboard;catalog;help;help' {
            break
        }
        'callboard;score' {
            [CompletionResult]::new('--scorecard', '--scorecard', [CompletionResultType]::ParameterName, 'Scorecard file or directory (repeatable)')
            [CompletionResult]::new('--waivers', '--waivers', [CompletionResultType]::ParameterName, 'Waivers file (default: .callboard/waivers.yaml at the repository root, if present)')
            [CompletionResult]::new('--entity', '--entity', [CompletionResultType]::ParameterName, 'Score only this entity (repeatable), e.g. component:default/payments')
            [CompletionResult]::new('--changed-since', '--changed-since', [CompletionResultType]::ParameterName, 'List only entities whose file or directory changed since the merge-base with REF (every entity is still scored and gated)')
            [CompletionResult]::new('--base', '--base', [CompletionResultType]::ParameterName, 'Compare with revision REV (its scorecards, waivers and catalog, read from git objects) and fail on what the change introduces: a new failing rule, a lower level, an entity leaving a scorecard''s scope')
            [CompletionResult]::new('--min-level', '--min-level', [CompletionResultType]::ParameterName, 'Fail the gate when an entity is below this level')
            [CompletionResult]::new('--min-score', '--min-score', [CompletionResultType]::ParameterName, 'Fail the gate when an entity scores below N (0-100)')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Which rule outcomes fail the gate by themselves')
            [CompletionResult]::new('--baseline', '--baseline', [CompletionResultType]::ParameterName, 'An earlier JSON report to compare with')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'The date to evaluate at (YYYY-MM-DD): pins enforceFrom, waiver expiry and git ages, and is printed as generatedAt')
            [CompletionResult]::new('--facts', '--facts', [CompletionResultType]::ParameterName, 'External facts for `facts.*` rules (repeatable): JSON, NDJSON or CSV keyed by entity, or a SARIF, JUnit, Cobertura or lcov report mapped to entities by path. The format is read from the content; a prefix forces it (sarif:FILE, json:, ndjson:, csv:, junit:, cobertura:, lcov:)')
            [CompletionResult]::new('--facts-date', '--facts-date', [CompletionResultType]::ParameterName, 'The date of the --facts values whose file carries none (YYYY-MM-DD), for `maxAge`')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Explain one rule (RULE or SCORECARD/RULE): its check, and its result for each entity')
            [CompletionResult]::new('--history', '--history', [CompletionResultType]::ParameterName, 'Also score each month end of the last MONTHS months (6m, 12m, 24m; at most 36m) from git objects, and report the trend per scorecard, rule and --group-by group')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the report to FILE instead of standard output')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the report to FILE instead of standard output')
            [CompletionResult]::new('--group-by', '--group-by', [CompletionResultType]::ParameterName, 'Roll the results up per owner team, system or domain (every format): entities per level and failing rules per group')
            [CompletionResult]::new('--report', '--report', [CompletionResultType]::ParameterName, 'Also write the report in FORMAT to PATH, from the same evaluation (repeatable), e.g. `--report sarif=callboard.sarif --report json=report.json`. A markdown report takes its own budget as `markdown:comment=PATH` (see --markdown-limit)')
            [CompletionResult]::new('--markdown-limit', '--markdown-limit', [CompletionResultType]::ParameterName, 'The size budget of markdown reports: `comment` (a pull-request comment), `summary` (a step summary, the default) or a number of bytes. The report is cut to fit, most important first, with "N more" lines')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Catalog configuration file (default: .callboard.yaml at the repository root, if present)')
            [CompletionResult]::new('--no-waivers', '--no-waivers', [CompletionResultType]::ParameterName, 'Ignore every waiver (the unwaived picture, for audits)')
            [CompletionResult]::new('--allow-scope-exit', '--allow-scope-exit', [CompletionResultType]::ParameterName, 'With --base: accept entities leaving a scorecard''s scope (still named in the report)')
            [CompletionResult]::new('--no-regression', '--no-regression', [CompletionResultType]::ParameterName, 'Fail the gate when any entity''s score or level dropped against --baseline')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'callboard;adoption' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'Where the organisation stands in the adoption phases, and what to do next')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'callboard;adoption;report' {
            [CompletionResult]::new('--as-of', '--as-of', [CompletionResultType]::ParameterName, 'The date to report on (YYYY-MM-DD); default: the date of the HEAD commit')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the report to FILE instead of standard output')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the report to FILE instead of standard output')
            [CompletionResult]::new('--platform-team', '--platform-team', [CompletionResultType]::ParameterName, 'A Group of the platform team (repeatable; child groups count too): separates self-service catalog commits from the platform team''s')
            [CompletionResult]::new('--usage', '--usage', [CompletionResultType]::ParameterName, 'Portal usage data (repeatable): events (CSV or NDJSON), an RHDH Adoption Insights events dump, a GA4 BigQuery export, or aggregates; see docs/adoption.md')
            [CompletionResult]::new('--usage-format', '--usage-format', [CompletionResultType]::ParameterName, 'The format of the --usage files (default: detected from the header or first record)')
            [CompletionResult]::new('--compare', '--compare', [CompletionResultType]::ParameterName, 'Add the change of every metric against the report at another revision (every format)')
            [CompletionResult]::new('--teams', '--teams', [CompletionResultType]::ParameterName, 'The teams of the per-team section: a filter of `catalog query --where` over Groups, e.g. `childOf=group:default/engineering` or `name~^pay` (default: every team)')
            [CompletionResult]::new('--eligible', '--eligible', [CompletionResultType]::ParameterName, 'The eligible developers (a pilot group): a filter over Users, e.g. `memberOf=group:default/pilot`; rates and per-team numbers count only them')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Catalog configuration file (default: .callboard.yaml at the repository root, if present)')
            [CompletionResult]::new('--report', '--report', [CompletionResultType]::ParameterName, 'Also write the report in FORMAT to PATH, from the same evaluation (repeatable), e.g. `--report sarif=callboard.sarif --report json=report.json`. A markdown report takes its own budget as `markdown:comment=PATH` (see --markdown-limit)')
            [CompletionResult]::new('--markdown-limit', '--markdown-limit', [CompletionResultType]::ParameterName, 'The size budget of markdown reports: `comment` (a pull-request comment), `summary` (a step summary, the default) or a number of bytes. The report is cut to fit, most important first, with "N more" lines')
            [CompletionResult]::new('--usage-lenient', '--usage-lenient', [CompletionResultType]::ParameterName, 'Skip bad usage rows (counted in the notes) instead of failing')
            [CompletionResult]::new('--show-names', '--show-names', [CompletionResultType]::ParameterName, 'Name individual users in the usage lists (default: aggregates only)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'callboard;adoption;help' {
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'Where the organisation stands in the adoption phases, and what to do next')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'callboard;adoption;help;report' {
            break
        }
        'callboard;adoption;help;help' {
            break
        }
        'callboard;scaffold' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The Templates in the catalog, with whether every step can run offline')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'A template''s parameters (flattened, for writing a values file), steps and support verdict')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Check every `${{ }}` expression in a template and its skeleton files')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run a template into a new directory (--output) or an existing checkout (--into)')
            [CompletionResult]::new('batch', 'batch', [CompletionResultType]::ParameterValue, 'Run a template once per row of a values list (YAML list or CSV): one repository per row')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Whether generated repositories are behind their template (exit 1 when one is)')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Bring generated repositories up to date with their template: a three-way merge')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'callboard;scaffold;list' {
            [CompletionResult]::new('--catalog', '--catalog', [CompletionResultType]::ParameterName, 'The catalog repository (default: the git repository around the current directory)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'callboard;scaffold;show' {
            [CompletionResult]::new('--catalog', '--catalog', [CompletionResultType]::ParameterName, 'The catalog repository (default: the git repository around the current directory)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'callboard;scaffold;lint' {
            [CompletionResult]::new('--catalog', '--catalog', [CompletionResultType]::ParameterName, 'The catalog repository (default: the git repository around the current directory)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--report', '--report', [CompletionResultType]::ParameterName, 'Also write the report in FORMAT to PATH, from the same evaluation (repeatable), e.g. `--report sarif=callboard.sarif --report json=report.json`. A markdown report takes its own budget as `markdown:comment=PATH` (see --markdown-limit)')
            [CompletionResult]::new('--markdown-limit', '--markdown-limit', [CompletionResultType]::ParameterName, 'The size budget of markdown reports: `comment` (a pull-request comment), `summary` (a step summary, the default) or a number of bytes. The report is cut to fit, most important first, with "N more" lines')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'callboard;scaffold;run' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Create this directory (absent or empty) with the result')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Create this directory (absent or empty) with the result')
            [CompletionResult]::new('--into', '--into', [CompletionResultType]::ParameterName, 'Write into this existing checkout instead (for templates that change a repository)')
            [CompletionResult]::new('--values', '--values', [CompletionResultType]::ParameterName, 'Parameter values: YAML or JSON, what Backstage''s form would send')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set one parameter (typed by the template''s schema; `a.b=v` for nested ones). Repeatable')
            [CompletionResult]::new('--secrets', '--secrets', [CompletionResultType]::ParameterName, 'Secrets: a YAML or JSON mapping (`${{ secrets.x }}`). Never written or printed')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'One secret. Repeatable')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The user running the template (`user:default/jdoe`), looked up in the catalog for `${{ user.entity }}`')
            [CompletionResult]::new('--url-map', '--url-map', [CompletionResultType]::ParameterName, 'Serve absolute URLs under PREFIX from a local directory. Repeatable')
            [CompletionResult]::new('--integration', '--integration', [CompletionResultType]::ParameterName, 'Declare an SCM integration for a host (github, gitlab, bitbucketCloud, bitbucketServer, azure, gitea, gerrit). Repeatable')
            [CompletionResult]::new('--task-id', '--task-id', [CompletionResultType]::ParameterName, '`${{ context.task.id }}` (default: a new random UUID, recorded)')
            [CompletionResult]::new('--catalog', '--catalog', [CompletionResultType]::ParameterName, 'The catalog repository (default: the git repository around the current directory)')
            [CompletionResult]::new('--register-into', '--register-into', [CompletionResultType]::ParameterName, 'Add the new catalog file as a target of this Location file (for catalog:register steps)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--skip-unsupported', '--skip-unsupported', [CompletionResultType]::ParameterName, 'Skip steps whose action cannot run offline (their outputs are empty) instead of refusing to run')
            [CompletionResult]::new('--keep-template-errors', '--keep-template-errors', [CompletionResultType]::ParameterName, 'Do as Backstage does with a templating error in a step input: keep the raw text and go on (with a warning). By default the step fails')
            [CompletionResult]::new('--no-record', '--no-record', [CompletionResultType]::ParameterName, 'Do not write .callboard/scaffold.yaml nor the backstage.io/source-template annotation')
            [CompletionResult]::new('--interactive', '--interactive', [CompletionResultType]::ParameterName, 'Ask for missing required values on a terminal')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Render in a scratch directory and print the plan; write, commit and register nothing')
            [CompletionResult]::new('--diff', '--diff', [CompletionResultType]::ParameterName, 'With --dry-run: show a unified diff of what would change')
            [CompletionResult]::new('--exit-code', '--exit-code', [CompletionResultType]::ParameterName, 'With --dry-run: exit 1 when something would change')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'callboard;scaffold;batch' {
            [CompletionResult]::new('--values-list', '--values-list', [CompletionResultType]::ParameterName, 'One row per repository: a YAML list of mappings, or CSV with a header row')
            [CompletionResult]::new('--output-dir', '--output-dir', [CompletionResultType]::ParameterName, 'Where each repository goes: a path template rendered with the row (`{{ name }}`)')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Parallel runs (default: the number of CPUs; at most 4 per CPU, or 16, whichever is more)')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Parallel runs (default: the number of CPUs; at most 4 per CPU, or 16, whichever is more)')
            [CompletionResult]::new('--shard', '--shard', [CompletionResultType]::ParameterName, 'Run only shard K of N of the rows (a stable split by output directory) for one job of a CI matrix; fold the shards'' JSON lines with `callboard merge-results`')
            [CompletionResult]::new('--values', '--values', [CompletionResultType]::ParameterName, 'Parameter values: YAML or JSON, what Backstage''s form would send')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set one parameter (typed by the template''s schema; `a.b=v` for nested ones). Repeatable')
            [CompletionResult]::new('--secrets', '--secrets', [CompletionResultType]::ParameterName, 'Secrets: a YAML or JSON mapping (`${{ secrets.x }}`). Never written or printed')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'One secret. Repeatable')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The user running the template (`user:default/jdoe`), looked up in the catalog for `${{ user.entity }}`')
            [CompletionResult]::new('--url-map', '--url-map', [CompletionResultType]::ParameterName, 'Serve absolute URLs under PREFIX from a local directory. Repeatable')
            [CompletionResult]::new('--integration', '--integration', [CompletionResultType]::ParameterName, 'Declare an SCM integration for a host (github, gitlab, bitbucketCloud, bitbucketServer, azure, gitea, gerrit). Repeatable')
            [CompletionResult]::new('--task-id', '--task-id', [CompletionResultType]::ParameterName, '`${{ context.task.id }}` (default: a new random UUID, recorded)')
            [CompletionResult]::new('--catalog', '--catalog', [CompletionResultType]::ParameterName, 'The catalog repository (default: the git repository around the current directory)')
            [CompletionResult]::new('--continue-on-error', '--continue-on-error', [CompletionResultType]::ParameterName, 'Go on with the other rows when one fails (the exit status is still 1)')
            [CompletionResult]::new('--skip-unsupported', '--skip-unsupported', [CompletionResultType]::ParameterName, 'Skip steps whose action cannot run offline (their outputs are empty) instead of refusing to run')
            [CompletionResult]::new('--keep-template-errors', '--keep-template-errors', [CompletionResultType]::ParameterName, 'Do as Backstage does with a templating error in a step input: keep the raw text and go on (with a warning). By default the step fails')
            [CompletionResult]::new('--no-record', '--no-record', [CompletionResultType]::ParameterName, 'Do not write .callboard/scaffold.yaml nor the backstage.io/source-template annotation')
            [CompletionResult]::new('--interactive', '--interactive', [CompletionResultType]::ParameterName, 'Ask for missing required values on a terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'callboard;scaffold;check' {
            [CompletionResult]::new('--catalog', '--catalog', [CompletionResultType]::ParameterName, 'The catalog repository holding the template (default: the one the record names, when local)')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Compare against this revision of the catalog repository instead of HEAD')
            [CompletionResult]::new('--skip', '--skip', [CompletionResultType]::ParameterName, 'With --drift: ignore paths matching GLOB. Repeatable')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--drift', '--drift', [CompletionResultType]::ParameterName, 'Also re-render the recorded version and list files the project changed by hand')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'callboard;scaffold;update' {
            [CompletionResult]::new('--catalog', '--catalog', [CompletionResultType]::ParameterName, 'The catalog repository holding the template')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Update to this revision of the catalog repository (default: HEAD)')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Change a recorded value (typed by the template''s schema). Repeatable')
            [CompletionResult]::new('--template', '--template', [CompletionResultType]::ParameterName, 'With --all: the template (entity ref)')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'With --all: checkouts live in DIR/<entity name>')
            [CompletionResult]::new('--repo-map', '--repo-map', [CompletionResultType]::ParameterName, 'With --all: a YAML or JSON mapping of entity refs to checkout directories')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'With --all: parallel updates (default: the number of CPUs; at most 4 per CPU, or 16, whichever is more)')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'With --all: parallel updates (default: the number of CPUs; at most 4 per CPU, or 16, whichever is more)')
            [CompletionResult]::new('--integration', '--integration', [CompletionResultType]::ParameterName, 'Declare an SCM integration for a host. Repeatable')
            [CompletionResult]::new('--shard', '--shard', [CompletionResultType]::ParameterName, 'With --all: update only shard K of N (a stable split by entity ref) for one job of a CI matrix; fold the shards'' JSON lines with `callboard merge-results`')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format (default: text; with --all, JSON lines)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format (default: text; with --all, JSON lines)')
            [CompletionResult]::new('--allow-dirty', '--allow-dirty', [CompletionResultType]::ParameterName, 'Update even with uncommitted changes in the repository')
            [CompletionResult]::new('--recreate-deleted', '--recreate-deleted', [CompletionResultType]::ParameterName, 'Bring back files the template makes but the project deleted')
            [CompletionResult]::new('--commit', '--commit', [CompletionResultType]::ParameterName, 'Commit the update on a new branch `callboard/update-<template>-<commit>` (not with conflicts)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change; write nothing')
            [CompletionResult]::new('--diff', '--diff', [CompletionResultType]::ParameterName, 'With --dry-run: a unified diff of the changes')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Update every repository generated from --template (entities with that backstage.io/source-template)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'callboard;scaffold;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The Templates in the catalog, with whether every step can run offline')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'A template''s parameters (flattened, for writing a values file), steps and support verdict')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Check every `${{ }}` expression in a template and its skeleton files')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run a template into a new directory (--output) or an existing checkout (--into)')
            [CompletionResult]::new('batch', 'batch', [CompletionResultType]::ParameterValue, 'Run a template once per row of a values list (YAML list or CSV): one repository per row')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Whether generated repositories are behind their template (exit 1 when one is)')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Bring generated repositories up to date with their template: a three-way merge')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'callboard;scaffold;help;list' {
            break
        }
        'callboard;scaffold;help;show' {
            break
        }
        'callboard;scaffold;help;lint' {
            break
        }
        'callboard;scaffold;help;run' {
            break
        }
        'callboard;scaffold;help;batch' {
            break
        }
        'callboard;scaffold;help;check' {
            break
        }
        'callboard;scaffold;help;update' {
            break
        }
        'callboard;scaffold;help;help' {
            break
        }
        'callboard;completions' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'callboard;man' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Write callboard.1 and a page per subcommand (callboard-catalog-validate.1, …) into DIR')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'callboard;merge-results' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format: a summary with the problems (text), or the merged JSON lines (json)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: a summary with the problems (text), or the merged JSON lines (json)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the report to FILE instead of standard output')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the report to FILE instead of standard output')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'callboard;lsp' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Catalog configuration file (default: .callboard.yaml at the repository root, if present)')
            [CompletionResult]::new('--stdio', '--stdio', [CompletionResultType]::ParameterName, 'Talk over standard input and output (the only transport; accepted because many clients pass it)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'callboard;help' {
            [CompletionResult]::new('catalog', 'catalog', [CompletionResultType]::ParameterValue, 'Work with the catalog: validate, query, edit, rename, migrate, graph')
            [CompletionResult]::new('score', 'score', [CompletionResultType]::ParameterValue, 'Score entities against scorecards (rules, weights, levels, waivers) and gate on the result')
            [CompletionResult]::new('adoption', 'adoption', [CompletionResultType]::ParameterValue, 'Report on portal adoption: the phase, its gates, what blocks the next one and what to do')
            [CompletionResult]::new('scaffold', 'scaffold', [CompletionResultType]::ParameterValue, 'Run Backstage Software Templates locally: list, show, lint, run, batch')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script (bash, zsh, fish, powershell, elvish)')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff) of callboard, or write one page per command into a directory')
            [CompletionResult]::new('merge-results', 'merge-results', [CompletionResultType]::ParameterValue, 'Fold the JSON lines of sharded `scaffold batch` or `scaffold update --all` runs into one result')
            [CompletionResult]::new('lsp', 'lsp', [CompletionResultType]::ParameterValue, 'Run the language server for catalog files (diagnostics, hover, definition, references, rename, completion) on stdio')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'callboard;help;catalog' {
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Validate catalog files: Backstage''s rules plus references, duplicates and Location targets')
            [CompletionResult]::new('query', 'query', [CompletionResultType]::ParameterValue, 'Select entities with a filter and print them (table, json, ndjson, refs, files)')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Change fields of the selected entities with minimal textual edits (dry run by default)')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Rename an entity and rewrite every reference to it, in the form each was written')
            [CompletionResult]::new('new', 'new', [CompletionResultType]::ParameterValue, 'Create an entity from its kind''s required fields, checked as `catalog validate` checks it (dry run by default)')
            [CompletionResult]::new('move', 'move', [CompletionResultType]::ParameterValue, 'Move an entity''s YAML document into another file and rewrite the Location targets that named its old file (dry run by default)')
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Apply a named migration (see --list)')
            [CompletionResult]::new('graph', 'graph', [CompletionResultType]::ParameterValue, 'Draw the relations of the selected entities as Graphviz DOT or Mermaid')
            break
        }
        'callboard;help;catalog;validate' {
            break
        }
        'callboard;help;catalog;query' {
            break
        }
        'callboard;help;catalog;edit' {
            break
        }
        'callboard;help;catalog;rename' {
            break
        }
        'callboard;help;catalog;new' {
            break
        }
        'callboard;help;catalog;move' {
            break
        }
        'callboard;help;catalog;migrate' {
            break
        }
        'callboard;help;catalog;graph' {
            break
        }
        'callboard;help;score' {
            break
        }
        'callboard;help;adoption' {
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'Where the organisation stands in the adoption phases, and what to do next')
            break
        }
        'callboard;help;adoption;report' {
            break
        }
        'callboard;help;scaffold' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The Templates in the catalog, with whether every step can run offline')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'A template''s parameters (flattened, for writing a values file), steps and support verdict')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Check every `${{ }}` expression in a template and its skeleton files')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run a template into a new directory (--output) or an existing checkout (--into)')
            [CompletionResult]::new('batch', 'batch', [CompletionResultType]::ParameterValue, 'Run a template once per row of a values list (YAML list or CSV): one repository per row')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Whether generated repositories are behind their template (exit 1 when one is)')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Bring generated repositories up to date with their template: a three-way merge')
            break
        }
        'callboard;help;scaffold;list' {
            break
        }
        'callboard;help;scaffold;show' {
            break
        }
        'callboard;help;scaffold;lint' {
            break
        }
        'callboard;help;scaffold;run' {
            break
        }
        'callboard;help;scaffold;batch' {
            break
        }
        'callboard;help;scaffold;check' {
            break
        }
        'callboard;help;scaffold;update' {
            break
        }
        'callboard;help;completions' {
            break
        }
        'callboard;help;man' {
            break
        }
        'callboard;help;merge-results' {
            break
        }
        'callboard;help;lsp' {
            break
        }
        'callboard;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
