# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_callboard_global_optspecs
    string join \n h/help V/version
end

function __fish_callboard_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_callboard_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_callboard_using_subcommand
    set -l cmd (__fish_callboard_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c callboard -n "__fish_callboard_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c callboard -n "__fish_callboard_needs_command" -s V -l version -d 'Print version'
complete -c callboard -n "__fish_callboard_needs_command" -f -a "catalog" -d 'Work with the catalog: validate, query, edit, rename, migrate, graph'
complete -c callboard -n "__fish_callboard_needs_command" -f -a "score" -d 'Score entities against scorecards (rules, weights, levels, waivers) and gate on the result'
complete -c callboard -n "__fish_callboard_needs_command" -f -a "adoption" -d 'Report on portal adoption: the phase, its gates, what blocks the next one and what to do'
complete -c callboard -n "__fish_callboard_needs_command" -f -a "scaffold" -d 'Run Backstage Software Templates locally: list, show, lint, run, batch'
complete -c callboard -n "__fish_callboard_needs_command" -f -a "completions" -d 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
complete -c callboard -n "__fish_callboard_needs_command" -f -a "man" -d 'Print the man page (roff) of callboard, or write one page per command into a directory'
complete -c callboard -n "__fish_callboard_needs_command" -f -a "merge-results" -d 'Fold the JSON lines of sharded `scaffold batch` or `scaffold update --all` runs into one result'
complete -c callboard -n "__fish_callboard_needs_command" -f -a "lsp" -d 'Run the language server for catalog files (diagnostics, hover, definition, references, rename, completion) on stdio'
complete -c callboard -n "__fish_callboard_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and not __fish_seen_subcommand_from validate query edit rename new move migrate graph help" -s h -l help -d 'Print help'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and not __fish_seen_subcommand_from validate query edit rename new move migrate graph help" -f -a "validate" -d 'Validate catalog files: Backstage\'s rules plus references, duplicates and Location targets'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and not __fish_seen_subcommand_from validate query edit rename new move migrate graph help" -f -a "query" -d 'Select entities with a filter and print them (table, json, ndjson, refs, files)'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and not __fish_seen_subcommand_from validate query edit rename new move migrate graph help" -f -a "edit" -d 'Change fields of the selected entities with minimal textual edits (dry run by default)'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and not __fish_seen_subcommand_from validate query edit rename new move migrate graph help" -f -a "rename" -d 'Rename an entity and rewrite every reference to it, in the form each was written'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and not __fish_seen_subcommand_from validate query edit rename new move migrate graph help" -f -a "new" -d 'Create an entity from its kind\'s required fields, checked as `catalog validate` checks it (dry run by default)'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and not __fish_seen_subcommand_from validate query edit rename new move migrate graph help" -f -a "move" -d 'Move an entity\'s YAML document into another file and rewrite the Location targets that named its old file (dry run by default)'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and not __fish_seen_subcommand_from validate query edit rename new move migrate graph help" -f -a "migrate" -d 'Apply a named migration (see --list)'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and not __fish_seen_subcommand_from validate query edit rename new move migrate graph help" -f -a "graph" -d 'Draw the relations of the selected entities as Graphviz DOT or Mermaid'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and not __fish_seen_subcommand_from validate query edit rename new move migrate graph help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from validate" -l profile -d 'Which rules to apply' -r -f -a "backstage\t'Exactly what Backstage\'s processing rejects, nothing else: "will Backstage accept this?"'
recommended\t'Backstage\'s rules plus callboard\'s checks (references, duplicates, Location hygiene)'"
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from validate" -s f -l format -d 'Output format' -r -f -a "text\t'Code frames for people (colour on a terminal; NO_COLOR and CLICOLOR_FORCE respected)'
json\t'Versioned JSON (see docs/validate.md)'
sarif\t'SARIF 2.1.0 for GitHub code scanning'
github\t'GitHub Actions workflow commands (annotations on the pull request)'
markdown\t'Markdown for a pull-request comment or $GITHUB_STEP_SUMMARY (cut to --markdown-limit)'"
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from validate" -s o -l output -d 'Write the report to FILE instead of standard output' -r -F
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from validate" -l config -d 'Catalog configuration file (default: .callboard.yaml at the repository root, if present)' -r -F
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from validate" -l known-entities -d 'An export of the portal\'s catalog (JSON of /api/catalog/entities, NDJSON, or `catalog query --format ndjson`): references to its entities resolve. Repeatable' -r -F
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from validate" -l app-config -d 'Your portal\'s app-config: its catalog.rules and per-location rules decide which kinds may come from where (default: app-config*.yaml at the repository root, if any). Repeatable' -r -F
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from validate" -l changed-since -d 'Only report on files changed since the merge-base with REF (references still resolve against the whole catalog)' -r
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from validate" -l base -d 'Compare with revision REV (its catalog read from git objects): problems it has too are reported as existing and do not fail the run' -r
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from validate" -l color -d 'When to colour human output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from validate" -l report -d 'Also write the report in FORMAT to PATH, from the same evaluation (repeatable), e.g. `--report sarif=callboard.sarif --report json=report.json`. A markdown report takes its own budget as `markdown:comment=PATH` (see --markdown-limit)' -r
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from validate" -l markdown-limit -d 'The size budget of markdown reports: `comment` (a pull-request comment), `summary` (a step summary, the default) or a number of bytes. The report is cut to fit, most important first, with "N more" lines' -r
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from validate" -l strict-refs -d 'Report references that resolve to no entity as errors, not warnings'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from validate" -l no-app-config -d 'Do not read app-config*.yaml from the repository root'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from validate" -l deny-warnings -d 'Exit with status 1 when there are warnings, too'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from validate" -l fix -d 'Fix every finding that has one obvious fix, as minimal edits: print the diff (dry run), or with --write apply it and report what remains. Formats: human (the diff) and json'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from validate" -l write -d 'With --fix: apply the fixes, every file in one transaction'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from validate" -l allow-dirty -d 'With --fix --write: write even when the git work tree has uncommitted changes'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from validate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from query" -s w -l where -d 'Which entities (default: all)' -r
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from query" -l filter -d 'Backstage\'s filter syntax, as in /api/catalog/entities?filter=…: `kind=component,spec.type=service` (every statement holds; keys and values without case). Repeatable: any of them' -r
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from query" -s f -l format -d 'Output format' -r -f -a "text\t'A table of entity, owner and file'
json\t'Versioned JSON: {version, count, entities}'
ndjson\t'One JSON object per entity per line'
refs\t'One entity reference per line'
files\t'One file path per line (each once)'"
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from query" -l config -d 'Catalog configuration file (default: .callboard.yaml at the repository root, if present)' -r -F
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from query" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from edit" -s w -l where -d 'Which entities to change (required unless --filter is given; use \'kind=Component\' or similar to be explicit)' -r
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from edit" -l filter -d 'Backstage\'s filter syntax, as in /api/catalog/entities?filter=…: `kind=component,spec.type=service` (every statement holds; keys and values without case). Repeatable: any of them' -r
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from edit" -l set -d 'Set a field: PATH=VALUE (VALUE is typed as YAML: 3, true; strings are quoted when needed)' -r
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from edit" -l unset -d 'Remove a field' -r
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from edit" -l add-tag -d 'Add a tag to metadata.tags' -r
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from edit" -l remove-tag -d 'Remove a tag from metadata.tags' -r
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from edit" -l annotate -d 'Set an annotation: KEY=VALUE (always a string)' -r
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from edit" -l remove-annotation -d 'Remove an annotation' -r
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from edit" -l rename-key -d 'Rename an annotation key: OLD NEW' -r
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from edit" -l add -d 'Add an item to a list, unless it is there: PATH=VALUE (e.g. spec.dependsOn=component:ledger; the list is created when absent)' -r
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from edit" -l remove -d 'Remove an item from a list: PATH=VALUE (the list goes when it is emptied)' -r
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from edit" -s f -l format -d 'Output format' -r -f -a "diff\t'A unified diff and a summary'
json\t'Every change as JSON (file, line, entity, path, old, new)'"
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from edit" -l config -d 'Catalog configuration file (default: .callboard.yaml at the repository root, if present)' -r -F
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from edit" -l if-missing -d 'With --set and --annotate: only add fields that are absent, never change a value'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from edit" -l write -d 'Apply the changes (default: dry run, print what would change)'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from edit" -l dry-run -d 'Print what would change and write nothing (the default; for explicit scripts)'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from edit" -l force -d 'Write even if the result has validation errors the original did not have'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from edit" -l allow-dirty -d 'Write even when the git work tree has uncommitted changes'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from edit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from rename" -l map -d 'Renames from a CSV file, `old,new` per line (a header line `old,new`, `#` comments and blank lines allowed), all planned and written in one transaction. With --map, every positional argument is a path' -r -F
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from rename" -s f -l format -d 'Output format' -r -f -a "diff\t'A unified diff and a summary'
json\t'Every change as JSON (file, line, entity, path, old, new)'"
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from rename" -l config -d 'Catalog configuration file (default: .callboard.yaml at the repository root, if present)' -r -F
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from rename" -l merge -d 'TO exists already: move every reference to FROM onto it (transfer a team\'s ownership onto another team) and leave FROM\'s definition to be removed by hand'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from rename" -l write -d 'Apply the changes (default: dry run, print what would change)'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from rename" -l dry-run -d 'Print what would change and write nothing (the default; for explicit scripts)'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from rename" -l force -d 'Write even if the result has validation errors the original did not have'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from rename" -l allow-dirty -d 'Write even when the git work tree has uncommitted changes'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from rename" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from new" -l file -d 'The file the entity goes into: appended as a new document, or created' -r -F
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from new" -l namespace -d 'metadata.namespace (default: the default namespace, not written)' -r
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from new" -l title -d 'metadata.title' -r
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from new" -l description -d 'metadata.description' -r
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from new" -l owner -d 'spec.owner (Component, API, Resource, System, Domain)' -r
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from new" -l type -d 'spec.type' -r
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from new" -l lifecycle -d 'spec.lifecycle (Component, API)' -r
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from new" -l system -d 'spec.system (Component, API, Resource)' -r
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from new" -l domain -d 'spec.domain (System)' -r
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from new" -l definition -d 'spec.definition (API)' -r
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from new" -l parent -d 'spec.parent (Group)' -r
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from new" -l member-of -d 'spec.memberOf (User); repeatable' -r
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from new" -l known-entities -d 'An export of the portal\'s catalog, as for `catalog validate`: references to its entities resolve. Repeatable' -r -F
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from new" -l add-to-location -d 'When no Location reaches a new FILE, add it to the spec.targets of the first Location in LOCATION_FILE' -r -F
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from new" -s f -l format -d 'Output format' -r -f -a "diff\t'A unified diff and a summary'
json\t'Every change as JSON (file, line, entity, path, old, new)'"
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from new" -l config -d 'Catalog configuration file (default: .callboard.yaml at the repository root, if present)' -r -F
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from new" -l write -d 'Apply the changes (default: dry run, print what would change)'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from new" -l dry-run -d 'Print what would change and write nothing (the default; for explicit scripts)'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from new" -l force -d 'Write even if the result has validation errors the original did not have'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from new" -l allow-dirty -d 'Write even when the git work tree has uncommitted changes'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from new" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from move" -l to -d 'The file it goes into: appended as a new document, or created' -r -F
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from move" -s f -l format -d 'Output format' -r -f -a "diff\t'A unified diff and a summary'
json\t'Every change as JSON (file, line, entity, path, old, new)'"
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from move" -l config -d 'Catalog configuration file (default: .callboard.yaml at the repository root, if present)' -r -F
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from move" -l write -d 'Apply the changes (default: dry run, print what would change)'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from move" -l dry-run -d 'Print what would change and write nothing (the default; for explicit scripts)'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from move" -l force -d 'Write even if the result has validation errors the original did not have'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from move" -l allow-dirty -d 'Write even when the git work tree has uncommitted changes'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from move" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from migrate" -l path -d 'Catalog files or directories' -r -F
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from migrate" -s w -l where -d 'Migrate only these entities (the filter language of `catalog query`), e.g. one team\'s files first' -r
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from migrate" -l filter -d 'Backstage\'s filter syntax, as in /api/catalog/entities?filter=…. Repeatable: any of them' -r
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from migrate" -s f -l format -d 'Output format' -r -f -a "diff\t'A unified diff and a summary'
json\t'Every change as JSON (file, line, entity, path, old, new)'"
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from migrate" -l config -d 'Catalog configuration file (default: .callboard.yaml at the repository root, if present)' -r -F
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from migrate" -l list -d 'List the migrations'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from migrate" -l write -d 'Apply the changes (default: dry run, print what would change)'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from migrate" -l dry-run -d 'Print what would change and write nothing (the default; for explicit scripts)'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from migrate" -l force -d 'Write even if the result has validation errors the original did not have'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from migrate" -l allow-dirty -d 'Write even when the git work tree has uncommitted changes'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from migrate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from graph" -s w -l where -d 'Which entities (default: all)' -r
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from graph" -l filter -d 'Backstage\'s filter syntax, as in /api/catalog/entities?filter=…: `kind=component,spec.type=service` (every statement holds; keys and values without case). Repeatable: any of them' -r
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from graph" -s f -l format -d 'Output format' -r -f -a "dot\t'Graphviz DOT'
mermaid\t'A Mermaid flowchart'"
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from graph" -l config -d 'Catalog configuration file (default: .callboard.yaml at the repository root, if present)' -r -F
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from graph" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from help" -f -a "validate" -d 'Validate catalog files: Backstage\'s rules plus references, duplicates and Location targets'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from help" -f -a "query" -d 'Select entities with a filter and print them (table, json, ndjson, refs, files)'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from help" -f -a "edit" -d 'Change fields of the selected entities with minimal textual edits (dry run by default)'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from help" -f -a "rename" -d 'Rename an entity and rewrite every reference to it, in the form each was written'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from help" -f -a "new" -d 'Create an entity from its kind\'s required fields, checked as `catalog validate` checks it (dry run by default)'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from help" -f -a "move" -d 'Move an entity\'s YAML document into another file and rewrite the Location targets that named its old file (dry run by default)'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from help" -f -a "migrate" -d 'Apply a named migration (see --list)'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from help" -f -a "graph" -d 'Draw the relations of the selected entities as Graphviz DOT or Mermaid'
complete -c callboard -n "__fish_callboard_using_subcommand catalog; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c callboard -n "__fish_callboard_using_subcommand score" -l scorecard -d 'Scorecard file or directory (repeatable)' -r -F
complete -c callboard -n "__fish_callboard_using_subcommand score" -l waivers -d 'Waivers file (default: .callboard/waivers.yaml at the repository root, if present)' -r -F
complete -c callboard -n "__fish_callboard_using_subcommand score" -l entity -d 'Score only this entity (repeatable), e.g. component:default/payments' -r
complete -c callboard -n "__fish_callboard_using_subcommand score" -l changed-since -d 'List only entities whose file or directory changed since the merge-base with REF (every entity is still scored and gated)' -r
complete -c callboard -n "__fish_callboard_using_subcommand score" -l base -d 'Compare with revision REV (its scorecards, waivers and catalog, read from git objects) and fail on what the change introduces: a new failing rule, a lower level, an entity leaving a scorecard\'s scope' -r
complete -c callboard -n "__fish_callboard_using_subcommand score" -l min-level -d 'Fail the gate when an entity is below this level' -r
complete -c callboard -n "__fish_callboard_using_subcommand score" -l min-score -d 'Fail the gate when an entity scores below N (0-100)' -r
complete -c callboard -n "__fish_callboard_using_subcommand score" -l fail-on -d 'Which rule outcomes fail the gate by themselves' -r -f -a "error\t'Any failing error-severity rule fails the gate'
warning\t'Failing rules and warnings fail the gate'
never\t'Only thresholds (levels, scores, required rules, regressions) fail the gate'"
complete -c callboard -n "__fish_callboard_using_subcommand score" -l baseline -d 'An earlier JSON report to compare with' -r -F
complete -c callboard -n "__fish_callboard_using_subcommand score" -l now -d 'The date to evaluate at (YYYY-MM-DD): pins enforceFrom, waiver expiry and git ages, and is printed as generatedAt' -r
complete -c callboard -n "__fish_callboard_using_subcommand score" -l facts -d 'External facts for `facts.*` rules (repeatable): JSON, NDJSON or CSV keyed by entity, or a SARIF, JUnit, Cobertura or lcov report mapped to entities by path. The format is read from the content; a prefix forces it (sarif:FILE, json:, ndjson:, csv:, junit:, cobertura:, lcov:)' -r
complete -c callboard -n "__fish_callboard_using_subcommand score" -l facts-date -d 'The date of the --facts values whose file carries none (YYYY-MM-DD), for `maxAge`' -r
complete -c callboard -n "__fish_callboard_using_subcommand score" -l explain -d 'Explain one rule (RULE or SCORECARD/RULE): its check, and its result for each entity' -r
complete -c callboard -n "__fish_callboard_using_subcommand score" -l history -d 'Also score each month end of the last MONTHS months (6m, 12m, 24m; at most 36m) from git objects, and report the trend per scorecard, rule and --group-by group' -r
complete -c callboard -n "__fish_callboard_using_subcommand score" -s f -l format -d 'Output format' -r -f -a "text\t'Tables per scorecard and per owner team'
json\t'Versioned JSON (see docs/score.md); also the --baseline input'
markdown\t'Markdown for a pull-request comment or $GITHUB_STEP_SUMMARY'
sarif\t'SARIF 2.1.0: one result per failing rule and entity'
junit\t'JUnit XML: one test case per rule and entity'
html\t'A self-contained HTML page of the --history trend (inline SVG charts; needs --history)'
reminders\t'Markdown reminders of the campaigns: one section per team with remaining entities'"
complete -c callboard -n "__fish_callboard_using_subcommand score" -s o -l output -d 'Write the report to FILE instead of standard output' -r -F
complete -c callboard -n "__fish_callboard_using_subcommand score" -l group-by -d 'Roll the results up per owner team, system or domain (every format): entities per level and failing rules per group' -r -f -a "owner\t'The owning team (spec.owner; a User owner counts for the team it is a member of)'
system\t'spec.system'
domain\t'The domain of the entity\'s system (or of a System, its spec.domain)'"
complete -c callboard -n "__fish_callboard_using_subcommand score" -l report -d 'Also write the report in FORMAT to PATH, from the same evaluation (repeatable), e.g. `--report sarif=callboard.sarif --report json=report.json`. A markdown report takes its own budget as `markdown:comment=PATH` (see --markdown-limit)' -r
complete -c callboard -n "__fish_callboard_using_subcommand score" -l markdown-limit -d 'The size budget of markdown reports: `comment` (a pull-request comment), `summary` (a step summary, the default) or a number of bytes. The report is cut to fit, most important first, with "N more" lines' -r
complete -c callboard -n "__fish_callboard_using_subcommand score" -l config -d 'Catalog configuration file (default: .callboard.yaml at the repository root, if present)' -r -F
complete -c callboard -n "__fish_callboard_using_subcommand score" -l no-waivers -d 'Ignore every waiver (the unwaived picture, for audits)'
complete -c callboard -n "__fish_callboard_using_subcommand score" -l allow-scope-exit -d 'With --base: accept entities leaving a scorecard\'s scope (still named in the report)'
complete -c callboard -n "__fish_callboard_using_subcommand score" -l no-regression -d 'Fail the gate when any entity\'s score or level dropped against --baseline'
complete -c callboard -n "__fish_callboard_using_subcommand score" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c callboard -n "__fish_callboard_using_subcommand adoption; and not __fish_seen_subcommand_from report help" -s h -l help -d 'Print help'
complete -c callboard -n "__fish_callboard_using_subcommand adoption; and not __fish_seen_subcommand_from report help" -f -a "report" -d 'Where the organisation stands in the adoption phases, and what to do next'
complete -c callboard -n "__fish_callboard_using_subcommand adoption; and not __fish_seen_subcommand_from report help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c callboard -n "__fish_callboard_using_subcommand adoption; and __fish_seen_subcommand_from report" -l as-of -d 'The date to report on (YYYY-MM-DD); default: the date of the HEAD commit' -r
complete -c callboard -n "__fish_callboard_using_subcommand adoption; and __fish_seen_subcommand_from report" -s f -l format -d 'Output format' -r -f -a "text\t'Verdict, gates, blockers and actions, then metric tables'
json\t'Versioned JSON (see docs/adoption.md)'
markdown\t'Markdown for a pull-request comment, a wiki or $GITHUB_STEP_SUMMARY'
html\t'A self-contained HTML report (inline SVG charts, no scripts from elsewhere)'
csv\t'One row per metric and month, then the as-of values (with --compare fields)'
ndjson\t'The rows of csv as JSON objects, one per line'"
complete -c callboard -n "__fish_callboard_using_subcommand adoption; and __fish_seen_subcommand_from report" -s o -l output -d 'Write the report to FILE instead of standard output' -r -F
complete -c callboard -n "__fish_callboard_using_subcommand adoption; and __fish_seen_subcommand_from report" -l platform-team -d 'A Group of the platform team (repeatable; child groups count too): separates self-service catalog commits from the platform team\'s' -r
complete -c callboard -n "__fish_callboard_using_subcommand adoption; and __fish_seen_subcommand_from report" -l usage -d 'Portal usage data (repeatable): events (CSV or NDJSON), an RHDH Adoption Insights events dump, a GA4 BigQuery export, or aggregates; see docs/adoption.md' -r -F
complete -c callboard -n "__fish_callboard_using_subcommand adoption; and __fish_seen_subcommand_from report" -l usage-format -d 'The format of the --usage files (default: detected from the header or first record)' -r -f -a "auto\t'Detect from the CSV header or the first NDJSON record'
events\t'timestamp,user,action[,plugin,subject,entity_ref,value]'
rhdh\t'Red Hat Developer Hub Adoption Insights events table dump'
ga4\t'GA4 BigQuery export (NDJSON or flattened CSV)'
aggregate\t'period_start,period,metric,value[,dimension]'"
complete -c callboard -n "__fish_callboard_using_subcommand adoption; and __fish_seen_subcommand_from report" -l compare -d 'Add the change of every metric against the report at another revision (every format)' -r
complete -c callboard -n "__fish_callboard_using_subcommand adoption; and __fish_seen_subcommand_from report" -l teams -d 'The teams of the per-team section: a filter of `catalog query --where` over Groups, e.g. `childOf=group:default/engineering` or `name~^pay` (default: every team)' -r
complete -c callboard -n "__fish_callboard_using_subcommand adoption; and __fish_seen_subcommand_from report" -l eligible -d 'The eligible developers (a pilot group): a filter over Users, e.g. `memberOf=group:default/pilot`; rates and per-team numbers count only them' -r
complete -c callboard -n "__fish_callboard_using_subcommand adoption; and __fish_seen_subcommand_from report" -l config -d 'Catalog configuration file (default: .callboard.yaml at the repository root, if present)' -r -F
complete -c callboard -n "__fish_callboard_using_subcommand adoption; and __fish_seen_subcommand_from report" -l report -d 'Also write the report in FORMAT to PATH, from the same evaluation (repeatable), e.g. `--report sarif=callboard.sarif --report json=report.json`. A markdown report takes its own budget as `markdown:comment=PATH` (see --markdown-limit)' -r
complete -c callboard -n "__fish_callboard_using_subcommand adoption; and __fish_seen_subcommand_from report" -l markdown-limit -d 'The size budget of markdown reports: `comment` (a pull-request comment), `summary` (a step summary, the default) or a number of bytes. The report is cut to fit, most important first, with "N more" lines' -r
complete -c callboard -n "__fish_callboard_using_subcommand adoption; and __fish_seen_subcommand_from report" -l usage-lenient -d 'Skip bad usage rows (counted in the notes) instead of failing'
complete -c callboard -n "__fish_callboard_using_subcommand adoption; and __fish_seen_subcommand_from report" -l show-names -d 'Name individual users in the usage lists (default: aggregates only)'
complete -c callboard -n "__fish_callboard_using_subcommand adoption; and __fish_seen_subcommand_from report" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c callboard -n "__fish_callboard_using_subcommand adoption; and __fish_seen_subcommand_from help" -f -a "report" -d 'Where the organisation stands in the adoption phases, and what to do next'
complete -c callboard -n "__fish_callboard_using_subcommand adoption; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and not __fish_seen_subcommand_from list show lint run batch check update help" -s h -l help -d 'Print help'
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and not __fish_seen_subcommand_from list show lint run batch check update help" -f -a "list" -d 'The Templates in the catalog, with whether every step can run offline'
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and not __fish_seen_subcommand_from list show lint run batch check update help" -f -a "show" -d 'A template\'s parameters (flattened, for writing a values file), steps and support verdict'
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and not __fish_seen_subcommand_from list show lint run batch check update help" -f -a "lint" -d 'Check every `${{ }}` expression in a template and its skeleton files'
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and not __fish_seen_subcommand_from list show lint run batch check update help" -f -a "run" -d 'Run a template into a new directory (--output) or an existing checkout (--into)'
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and not __fish_seen_subcommand_from list show lint run batch check update help" -f -a "batch" -d 'Run a template once per row of a values list (YAML list or CSV): one repository per row'
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and not __fish_seen_subcommand_from list show lint run batch check update help" -f -a "check" -d 'Whether generated repositories are behind their template (exit 1 when one is)'
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and not __fish_seen_subcommand_from list show lint run batch check update help" -f -a "update" -d 'Bring generated repositories up to date with their template: a three-way merge'
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and not __fish_seen_subcommand_from list show lint run batch check update help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from list" -l catalog -d 'The catalog repository (default: the git repository around the current directory)' -r -F
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from list" -s f -l format -d 'Output format' -r -f -a "text\t'Readable text'
json\t'Versioned JSON (see docs/scaffold.md)'"
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from show" -l catalog -d 'The catalog repository (default: the git repository around the current directory)' -r -F
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from show" -s f -l format -d 'Output format' -r -f -a "text\t'Readable text'
json\t'Versioned JSON (see docs/scaffold.md)'"
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from lint" -l catalog -d 'The catalog repository (default: the git repository around the current directory)' -r -F
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from lint" -s f -l format -d 'Output format' -r -f -a "text\t'Readable text'
json\t''
github\t'GitHub Actions annotations (::error file=…)'
markdown\t'Markdown for a pull-request comment or $GITHUB_STEP_SUMMARY (cut to --markdown-limit)'"
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from lint" -l report -d 'Also write the report in FORMAT to PATH, from the same evaluation (repeatable), e.g. `--report sarif=callboard.sarif --report json=report.json`. A markdown report takes its own budget as `markdown:comment=PATH` (see --markdown-limit)' -r
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from lint" -l markdown-limit -d 'The size budget of markdown reports: `comment` (a pull-request comment), `summary` (a step summary, the default) or a number of bytes. The report is cut to fit, most important first, with "N more" lines' -r
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from lint" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from run" -s o -l output -d 'Create this directory (absent or empty) with the result' -r -F
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from run" -l into -d 'Write into this existing checkout instead (for templates that change a repository)' -r -F
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from run" -l values -d 'Parameter values: YAML or JSON, what Backstage\'s form would send' -r -F
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from run" -l set -d 'Set one parameter (typed by the template\'s schema; `a.b=v` for nested ones). Repeatable' -r
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from run" -l secrets -d 'Secrets: a YAML or JSON mapping (`${{ secrets.x }}`). Never written or printed' -r -F
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from run" -l secret -d 'One secret. Repeatable' -r
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from run" -l user -d 'The user running the template (`user:default/jdoe`), looked up in the catalog for `${{ user.entity }}`' -r
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from run" -l url-map -d 'Serve absolute URLs under PREFIX from a local directory. Repeatable' -r
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from run" -l integration -d 'Declare an SCM integration for a host (github, gitlab, bitbucketCloud, bitbucketServer, azure, gitea, gerrit). Repeatable' -r
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from run" -l task-id -d '`${{ context.task.id }}` (default: a new random UUID, recorded)' -r
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from run" -l catalog -d 'The catalog repository (default: the git repository around the current directory)' -r -F
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from run" -l register-into -d 'Add the new catalog file as a target of this Location file (for catalog:register steps)' -r -F
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from run" -s f -l format -d 'Output format' -r -f -a "text\t'Readable text'
json\t'Versioned JSON (see docs/scaffold.md)'"
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from run" -l skip-unsupported -d 'Skip steps whose action cannot run offline (their outputs are empty) instead of refusing to run'
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from run" -l keep-template-errors -d 'Do as Backstage does with a templating error in a step input: keep the raw text and go on (with a warning). By default the step fails'
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from run" -l no-record -d 'Do not write .callboard/scaffold.yaml nor the backstage.io/source-template annotation'
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from run" -l interactive -d 'Ask for missing required values on a terminal'
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from run" -l dry-run -d 'Render in a scratch directory and print the plan; write, commit and register nothing'
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from run" -l diff -d 'With --dry-run: show a unified diff of what would change'
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from run" -l exit-code -d 'With --dry-run: exit 1 when something would change'
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from run" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from batch" -l values-list -d 'One row per repository: a YAML list of mappings, or CSV with a header row' -r -F
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from batch" -l output-dir -d 'Where each repository goes: a path template rendered with the row (`{{ name }}`)' -r
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from batch" -s j -l jobs -d 'Parallel runs (default: the number of CPUs; at most 4 per CPU, or 16, whichever is more)' -r
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from batch" -l shard -d 'Run only shard K of N of the rows (a stable split by output directory) for one job of a CI matrix; fold the shards\' JSON lines with `callboard merge-results`' -r
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from batch" -l values -d 'Parameter values: YAML or JSON, what Backstage\'s form would send' -r -F
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from batch" -l set -d 'Set one parameter (typed by the template\'s schema; `a.b=v` for nested ones). Repeatable' -r
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from batch" -l secrets -d 'Secrets: a YAML or JSON mapping (`${{ secrets.x }}`). Never written or printed' -r -F
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from batch" -l secret -d 'One secret. Repeatable' -r
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from batch" -l user -d 'The user running the template (`user:default/jdoe`), looked up in the catalog for `${{ user.entity }}`' -r
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from batch" -l url-map -d 'Serve absolute URLs under PREFIX from a local directory. Repeatable' -r
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from batch" -l integration -d 'Declare an SCM integration for a host (github, gitlab, bitbucketCloud, bitbucketServer, azure, gitea, gerrit). Repeatable' -r
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from batch" -l task-id -d '`${{ context.task.id }}` (default: a new random UUID, recorded)' -r
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from batch" -l catalog -d 'The catalog repository (default: the git repository around the current directory)' -r -F
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from batch" -l continue-on-error -d 'Go on with the other rows when one fails (the exit status is still 1)'
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from batch" -l skip-unsupported -d 'Skip steps whose action cannot run offline (their outputs are empty) instead of refusing to run'
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from batch" -l keep-template-errors -d 'Do as Backstage does with a templating error in a step input: keep the raw text and go on (with a warning). By default the step fails'
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from batch" -l no-record -d 'Do not write .callboard/scaffold.yaml nor the backstage.io/source-template annotation'
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from batch" -l interactive -d 'Ask for missing required values on a terminal'
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from batch" -s h -l help -d 'Print help'
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from check" -l catalog -d 'The catalog repository holding the template (default: the one the record names, when local)' -r -F
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from check" -l to -d 'Compare against this revision of the catalog repository instead of HEAD' -r
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from check" -l skip -d 'With --drift: ignore paths matching GLOB. Repeatable' -r
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from check" -s f -l format -d 'Output format' -r -f -a "text\t'Readable text'
json\t'Versioned JSON (see docs/scaffold.md)'"
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from check" -l drift -d 'Also re-render the recorded version and list files the project changed by hand'
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from update" -l catalog -d 'The catalog repository holding the template' -r -F
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from update" -l to -d 'Update to this revision of the catalog repository (default: HEAD)' -r
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from update" -l set -d 'Change a recorded value (typed by the template\'s schema). Repeatable' -r
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from update" -l template -d 'With --all: the template (entity ref)' -r
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from update" -l workspace -d 'With --all: checkouts live in DIR/<entity name>' -r -F
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from update" -l repo-map -d 'With --all: a YAML or JSON mapping of entity refs to checkout directories' -r -F
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from update" -s j -l jobs -d 'With --all: parallel updates (default: the number of CPUs; at most 4 per CPU, or 16, whichever is more)' -r
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from update" -l integration -d 'Declare an SCM integration for a host. Repeatable' -r
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from update" -l shard -d 'With --all: update only shard K of N (a stable split by entity ref) for one job of a CI matrix; fold the shards\' JSON lines with `callboard merge-results`' -r
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from update" -s f -l format -d 'Output format (default: text; with --all, JSON lines)' -r -f -a "text\t'Readable text'
json\t'Versioned JSON (see docs/scaffold.md)'"
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from update" -l allow-dirty -d 'Update even with uncommitted changes in the repository'
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from update" -l recreate-deleted -d 'Bring back files the template makes but the project deleted'
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from update" -l commit -d 'Commit the update on a new branch `callboard/update-<template>-<commit>` (not with conflicts)'
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from update" -l dry-run -d 'Show what would change; write nothing'
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from update" -l diff -d 'With --dry-run: a unified diff of the changes'
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from update" -l all -d 'Update every repository generated from --template (entities with that backstage.io/source-template)'
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from update" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from help" -f -a "list" -d 'The Templates in the catalog, with whether every step can run offline'
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from help" -f -a "show" -d 'A template\'s parameters (flattened, for writing a values file), steps and support verdict'
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from help" -f -a "lint" -d 'Check every `${{ }}` expression in a template and its skeleton files'
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from help" -f -a "run" -d 'Run a template into a new directory (--output) or an existing checkout (--into)'
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from help" -f -a "batch" -d 'Run a template once per row of a values list (YAML list or CSV): one repository per row'
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from help" -f -a "check" -d 'Whether generated repositories are behind their template (exit 1 when one is)'
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from help" -f -a "update" -d 'Bring generated repositories up to date with their template: a three-way merge'
complete -c callboard -n "__fish_callboard_using_subcommand scaffold; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c callboard -n "__fish_callboard_using_subcommand completions" -s h -l help -d 'Print help'
complete -c callboard -n "__fish_callboard_using_subcommand man" -l dir -d 'Write callboard.1 and a page per subcommand (callboard-catalog-validate.1, …) into DIR' -r -F
complete -c callboard -n "__fish_callboard_using_subcommand man" -s h -l help -d 'Print help'
complete -c callboard -n "__fish_callboard_using_subcommand merge-results" -s f -l format -d 'Output format: a summary with the problems (text), or the merged JSON lines (json)' -r -f -a "text\t'A summary and every row or repository that did not succeed'
json\t'The shards\' JSON lines, merged and sorted'"
complete -c callboard -n "__fish_callboard_using_subcommand merge-results" -s o -l output -d 'Write the report to FILE instead of standard output' -r -F
complete -c callboard -n "__fish_callboard_using_subcommand merge-results" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c callboard -n "__fish_callboard_using_subcommand lsp" -l config -d 'Catalog configuration file (default: .callboard.yaml at the repository root, if present)' -r -F
complete -c callboard -n "__fish_callboard_using_subcommand lsp" -l stdio -d 'Talk over standard input and output (the only transport; accepted because many clients pass it)'
complete -c callboard -n "__fish_callboard_using_subcommand lsp" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c callboard -n "__fish_callboard_using_subcommand help; and not __fish_seen_subcommand_from catalog score adoption scaffold completions man merge-results lsp help" -f -a "catalog" -d 'Work with the catalog: validate, query, edit, rename, migrate, graph'
complete -c callboard -n "__fish_callboard_using_subcommand help; and not __fish_seen_subcommand_from catalog score adoption scaffold completions man merge-results lsp help" -f -a "score" -d 'Score entities against scorecards (rules, weights, levels, waivers) and gate on the result'
complete -c callboard -n "__fish_callboard_using_subcommand help; and not __fish_seen_subcommand_from catalog score adoption scaffold completions man merge-results lsp help" -f -a "adoption" -d 'Report on portal adoption: the phase, its gates, what blocks the next one and what to do'
complete -c callboard -n "__fish_callboard_using_subcommand help; and not __fish_seen_subcommand_from catalog score adoption scaffold completions man merge-results lsp help" -f -a "scaffold" -d 'Run Backstage Software Templates locally: list, show, lint, run, batch'
complete -c callboard -n "__fish_callboard_using_subcommand help; and not __fish_seen_subcommand_from catalog score adoption scaffold completions man merge-results lsp help" -f -a "completions" -d 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
complete -c callboard -n "__fish_callboard_using_subcommand help; and not __fish_seen_subcommand_from catalog score adoption scaffold completions man merge-results lsp help" -f -a "man" -d 'Print the man page (roff) of callboard, or write one page per command into a directory'
complete -c callboard -n "__fish_callboard_using_subcommand help; and not __fish_seen_subcommand_from catalog score adoption scaffold completions man merge-results lsp help" -f -a "merge-results" -d 'Fold the JSON lines of sharded `scaffold batch` or `scaffold update --all` runs into one result'
complete -c callboard -n "__fish_callboard_using_subcommand help; and not __fish_seen_subcommand_from catalog score adoption scaffold completions man merge-results lsp help" -f -a "lsp" -d 'Run the language server for catalog files (diagnostics, hover, definition, references, rename, completion) on stdio'
complete -c callboard -n "__fish_callboard_using_subcommand help; and not __fish_seen_subcommand_from catalog score adoption scaffold completions man merge-results lsp help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c callboard -n "__fish_callboard_using_subcommand help; and __fish_seen_subcommand_from catalog" -f -a "validate" -d 'Validate catalog files: Backstage\'s rules plus references, duplicates and Location targets'
complete -c callboard -n "__fish_callboard_using_subcommand help; and __fish_seen_subcommand_from catalog" -f -a "query" -d 'Select entities with a filter and print them (table, json, ndjson, refs, files)'
complete -c callboard -n "__fish_callboard_using_subcommand help; and __fish_seen_subcommand_from catalog" -f -a "edit" -d 'Change fields of the selected entities with minimal textual edits (dry run by default)'
complete -c callboard -n "__fish_callboard_using_subcommand help; and __fish_seen_subcommand_from catalog" -f -a "rename" -d 'Rename an entity and rewrite every reference to it, in the form each was written'
complete -c callboard -n "__fish_callboard_using_subcommand help; and __fish_seen_subcommand_from catalog" -f -a "new" -d 'Create an entity from its kind\'s required fields, checked as `catalog validate` checks it (dry run by default)'
complete -c callboard -n "__fish_callboard_using_subcommand help; and __fish_seen_subcommand_from catalog" -f -a "move" -d 'Move an entity\'s YAML document into another file and rewrite the Location targets that named its old file (dry run by default)'
complete -c callboard -n "__fish_callboard_using_subcommand help; and __fish_seen_subcommand_from catalog" -f -a "migrate" -d 'Apply a named migration (see --list)'
complete -c callboard -n "__fish_callboard_using_subcommand help; and __fish_seen_subcommand_from catalog" -f -a "graph" -d 'Draw the relations of the selected entities as Graphviz DOT or Mermaid'
complete -c callboard -n "__fish_callboard_using_subcommand help; and __fish_seen_subcommand_from adoption" -f -a "report" -d 'Where the organisation stands in the adoption phases, and what to do next'
complete -c callboard -n "__fish_callboard_using_subcommand help; and __fish_seen_subcommand_from scaffold" -f -a "list" -d 'The Templates in the catalog, with whether every step can run offline'
complete -c callboard -n "__fish_callboard_using_subcommand help; and __fish_seen_subcommand_from scaffold" -f -a "show" -d 'A template\'s parameters (flattened, for writing a values file), steps and support verdict'
complete -c callboard -n "__fish_callboard_using_subcommand help; and __fish_seen_subcommand_from scaffold" -f -a "lint" -d 'Check every `${{ }}` expression in a template and its skeleton files'
complete -c callboard -n "__fish_callboard_using_subcommand help; and __fish_seen_subcommand_from scaffold" -f -a "run" -d 'Run a template into a new directory (--output) or an existing checkout (--into)'
complete -c callboard -n "__fish_callboard_using_subcommand help; and __fish_seen_subcommand_from scaffold" -f -a "batch" -d 'Run a template once per row of a values list (YAML list or CSV): one repository per row'
complete -c callboard -n "__fish_callboard_using_subcommand help; and __fish_seen_subcommand_from scaffold" -f -a "check" -d 'Whether generated repositories are behind their template (exit 1 when one is)'
complete -c callboard -n "__fish_callboard_using_subcommand help; and __fish_seen_subcommand_from scaffold" -f -a "update" -d 'Bring generated repositories up to date with their template: a three-way merge'
