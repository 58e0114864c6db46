
use builtin;
use str;

set edit:completion:arg-completer[callboard] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'callboard'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'callboard'= {
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand catalog 'Work with the catalog: validate, query, edit, rename, migrate, graph'
            cand score 'Score entities against scorecards (rules, weights, levels, waivers) and gate on the result'
            cand adoption 'Report on portal adoption: the phase, its gates, what blocks the next one and what to do'
            cand scaffold 'Run Backstage Software Templates locally: list, show, lint, run, batch'
            cand completions 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
            cand man 'Print the man page (roff) of callboard, or write one page per command into a directory'
            cand merge-results 'Fold the JSON lines of sharded `scaffold batch` or `scaffold update --all` runs into one result'
            cand lsp 'Run the language server for catalog files (diagnostics, hover, definition, references, rename, completion) on stdio'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'callboard;catalog'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand validate 'Validate catalog files: Backstage''s rules plus references, duplicates and Location targets'
            cand query 'Select entities with a filter and print them (table, json, ndjson, refs, files)'
            cand edit 'Change fields of the selected entities with minimal textual edits (dry run by default)'
            cand rename 'Rename an entity and rewrite every reference to it, in the form each was written'
            cand new 'Create an entity from its kind''s required fields, checked as `catalog validate` checks it (dry run by default)'
            cand move 'Move an entity''s YAML document into another file and rewrite the Location targets that named its old file (dry run by default)'
            cand migrate 'Apply a named migration (see --list)'
            cand graph 'Draw the relations of the selected entities as Graphviz DOT or Mermaid'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'callboard;catalog;validate'= {
            cand --profile 'Which rules to apply'
            cand -f 'Output format'
            cand --format 'Output format'
            cand -o 'Write the report to FILE instead of standard output'
            cand --output 'Write the report to FILE instead of standard output'
            cand --config 'Catalog configuration file (default: .callboard.yaml at the repository root, if present)'
            cand --known-entities 'An export of the portal''s catalog (JSON of /api/catalog/entities, NDJSON, or `catalog query --format ndjson`): references to its entities resolve. Repeatable'
            cand --app-config 'Your portal''s app-config: its catalog.rules and per-location rules decide which kinds may come from where (default: app-config*.yaml at the repository root, if any). Repeatable'
            cand --changed-since 'Only report on files changed since the merge-base with REF (references still resolve against the whole catalog)'
            cand --base 'Compare with revision REV (its catalog read from git objects): problems it has too are reported as existing and do not fail the run'
            cand --color 'When to colour human output'
            cand --report 'Also write the report in FORMAT to PATH, from the same evaluation (repeatable), e.g. `--report sarif=callboard.sarif --report json=report.json`. A markdown report takes its own budget as `markdown:comment=PATH` (see --markdown-limit)'
            cand --markdown-limit 'The size budget of markdown reports: `comment` (a pull-request comment), `summary` (a step summary, the default) or a number of bytes. The report is cut to fit, most important first, with "N more" lines'
            cand --strict-refs 'Report references that resolve to no entity as errors, not warnings'
            cand --no-app-config 'Do not read app-config*.yaml from the repository root'
            cand --deny-warnings 'Exit with status 1 when there are warnings, too'
            cand --fix 'Fix every finding that has one obvious fix, as minimal edits: print the diff (dry run), or with --write apply it and report what remains. Formats: human (the diff) and json'
            cand --write 'With --fix: apply the fixes, every file in one transaction'
            cand --allow-dirty 'With --fix --write: write even when the git work tree has uncommitted changes'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'callboard;catalog;query'= {
            cand -w 'Which entities (default: all)'
            cand --where 'Which entities (default: all)'
            cand --filter 'Backstage''s filter syntax, as in /api/catalog/entities?filter=…: `kind=component,spec.type=service` (every statement holds; keys and values without case). Repeatable: any of them'
            cand -f 'Output format'
            cand --format 'Output format'
            cand --config 'Catalog configuration file (default: .callboard.yaml at the repository root, if present)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'callboard;catalog;edit'= {
            cand -w 'Which entities to change (required unless --filter is given; use ''kind=Component'' or similar to be explicit)'
            cand --where 'Which entities to change (required unless --filter is given; use ''kind=Component'' or similar to be explicit)'
            cand --filter 'Backstage''s filter syntax, as in /api/catalog/entities?filter=…: `kind=component,spec.type=service` (every statement holds; keys and values without case). Repeatable: any of them'
            cand --set 'Set a field: PATH=VALUE (VALUE is typed as YAML: 3, true; strings are quoted when needed)'
            cand --unset 'Remove a field'
            cand --add-tag 'Add a tag to metadata.tags'
            cand --remove-tag 'Remove a tag from metadata.tags'
            cand --annotate 'Set an annotation: KEY=VALUE (always a string)'
            cand --remove-annotation 'Remove an annotation'
            cand --rename-key 'Rename an annotation key: OLD NEW'
            cand --add 'Add an item to a list, unless it is there: PATH=VALUE (e.g. spec.dependsOn=component:ledger; the list is created when absent)'
            cand --remove 'Remove an item from a list: PATH=VALUE (the list goes when it is emptied)'
            cand -f 'Output format'
            cand --format 'Output format'
            cand --config 'Catalog configuration file (default: .callboard.yaml at the repository root, if present)'
            cand --if-missing 'With --set and --annotate: only add fields that are absent, never change a value'
            cand --write 'Apply the changes (default: dry run, print what would change)'
            cand --dry-run 'Print what would change and write nothing (the default; for explicit scripts)'
            cand --force 'Write even if the result has validation errors the original did not have'
            cand --allow-dirty 'Write even when the git work tree has uncommitted changes'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'callboard;catalog;rename'= {
            cand --map 'Renames from a CSV file, `old,new` per line (a header line `old,new`, `#` comments and blank lines allowed), all planned and written in one transaction. With --map, every positional argument is a path'
            cand -f 'Output format'
            cand --format 'Output format'
            cand --config 'Catalog configuration file (default: .callboard.yaml at the repository root, if present)'
            cand --merge 'TO exists already: move every reference to FROM onto it (transfer a team''s ownership onto another team) and leave FROM''s definition to be removed by hand'
            cand --write 'Apply the changes (default: dry run, print what would change)'
            cand --dry-run 'Print what would change and write nothing (the default; for explicit scripts)'
            cand --force 'Write even if the result has validation errors the original did not have'
            cand --allow-dirty 'Write even when the git work tree has uncommitted changes'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'callboard;catalog;new'= {
            cand --file 'The file the entity goes into: appended as a new document, or created'
            cand --namespace 'metadata.namespace (default: the default namespace, not written)'
            cand --title 'metadata.title'
            cand --description 'metadata.description'
            cand --owner 'spec.owner (Component, API, Resource, System, Domain)'
            cand --type 'spec.type'
            cand --lifecycle 'spec.lifecycle (Component, API)'
            cand --system 'spec.system (Component, API, Resource)'
            cand --domain 'spec.domain (System)'
            cand --definition 'spec.definition (API)'
            cand --parent 'spec.parent (Group)'
            cand --member-of 'spec.memberOf (User); repeatable'
            cand --known-entities 'An export of the portal''s catalog, as for `catalog validate`: references to its entities resolve. Repeatable'
            cand --add-to-location 'When no Location reaches a new FILE, add it to the spec.targets of the first Location in LOCATION_FILE'
            cand -f 'Output format'
            cand --format 'Output format'
            cand --config 'Catalog configuration file (default: .callboard.yaml at the repository root, if present)'
            cand --write 'Apply the changes (default: dry run, print what would change)'
            cand --dry-run 'Print what would change and write nothing (the default; for explicit scripts)'
            cand --force 'Write even if the result has validation errors the original did not have'
            cand --allow-dirty 'Write even when the git work tree has uncommitted changes'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'callboard;catalog;move'= {
            cand --to 'The file it goes into: appended as a new document, or created'
            cand -f 'Output format'
            cand --format 'Output format'
            cand --config 'Catalog configuration file (default: .callboard.yaml at the repository root, if present)'
            cand --write 'Apply the changes (default: dry run, print what would change)'
            cand --dry-run 'Print what would change and write nothing (the default; for explicit scripts)'
            cand --force 'Write even if the result has validation errors the original did not have'
            cand --allow-dirty 'Write even when the git work tree has uncommitted changes'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'callboard;catalog;migrate'= {
            cand --path 'Catalog files or directories'
            cand -w 'Migrate only these entities (the filter language of `catalog query`), e.g. one team''s files first'
            cand --where 'Migrate only these entities (the filter language of `catalog query`), e.g. one team''s files first'
            cand --filter 'Backstage''s filter syntax, as in /api/catalog/entities?filter=…. Repeatable: any of them'
            cand -f 'Output format'
            cand --format 'Output format'
            cand --config 'Catalog configuration file (default: .callboard.yaml at the repository root, if present)'
            cand --list 'List the migrations'
            cand --write 'Apply the changes (default: dry run, print what would change)'
            cand --dry-run 'Print what would change and write nothing (the default; for explicit scripts)'
            cand --force 'Write even if the result has validation errors the original did not have'
            cand --allow-dirty 'Write even when the git work tree has uncommitted changes'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'callboard;catalog;graph'= {
            cand -w 'Which entities (default: all)'
            cand --where 'Which entities (default: all)'
            cand --filter 'Backstage''s filter syntax, as in /api/catalog/entities?filter=…: `kind=component,spec.type=service` (every statement holds; keys and values without case). Repeatable: any of them'
            cand -f 'Output format'
            cand --format 'Output format'
            cand --config 'Catalog configuration file (default: .callboard.yaml at the repository root, if present)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'callboard;catalog;help'= {
            cand validate 'Validate catalog files: Backstage''s rules plus references, duplicates and Location targets'
            cand query 'Select entities with a filter and print them (table, json, ndjson, refs, files)'
            cand edit 'Change fields of the selected entities with minimal textual edits (dry run by default)'
            cand rename 'Rename an entity and rewrite every reference to it, in the form each was written'
            cand new 'Create an entity from its kind''s required fields, checked as `catalog validate` checks it (dry run by default)'
            cand move 'Move an entity''s YAML document into another file and rewrite the Location targets that named its old file (dry run by default)'
            cand migrate 'Apply a named migration (see --list)'
            cand graph 'Draw the relations of the selected entities as Graphviz DOT or Mermaid'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'callboard;catalog;help;validate'= {
        }
        &'callboard;catalog;help;query'= {
        }
        &'callboard;catalog;help;edit'= {
        }
        &'callboard;catalog;help;rename'= {
        }
        &'callboard;catalog;help;new'= {
        }
        &'callboard;catalog;help;move'= {
        }
        &'callboard;catalog;help;migrate'= {
        }
        &'callboard;catalog;help;graph'= {
        }
        &'callboard;catalog;help;help'= {
        }
        &'callboard;score'= {
            cand --scorecard 'Scorecard file or directory (repeatable)'
            cand --waivers 'Waivers file (default: .callboard/waivers.yaml at the repository root, if present)'
            cand --entity 'Score only this entity (repeatable), e.g. component:default/payments'
            cand --changed-since 'List only entities whose file or directory changed since the merge-base with REF (every entity is still scored and gated)'
            cand --base 'Compare with revision REV (its scorecards, waivers and catalog, read from git objects) and fail on what the change introduces: a new failing rule, a lower level, an entity leaving a scorecard''s scope'
            cand --min-level 'Fail the gate when an entity is below this level'
            cand --min-score 'Fail the gate when an entity scores below N (0-100)'
            cand --fail-on 'Which rule outcomes fail the gate by themselves'
            cand --baseline 'An earlier JSON report to compare with'
            cand --now 'The date to evaluate at (YYYY-MM-DD): pins enforceFrom, waiver expiry and git ages, and is printed as generatedAt'
            cand --facts 'External facts for `facts.*` rules (repeatable): JSON, NDJSON or CSV keyed by entity, or a SARIF, JUnit, Cobertura or lcov report mapped to entities by path. The format is read from the content; a prefix forces it (sarif:FILE, json:, ndjson:, csv:, junit:, cobertura:, lcov:)'
            cand --facts-date 'The date of the --facts values whose file carries none (YYYY-MM-DD), for `maxAge`'
            cand --explain 'Explain one rule (RULE or SCORECARD/RULE): its check, and its result for each entity'
            cand --history 'Also score each month end of the last MONTHS months (6m, 12m, 24m; at most 36m) from git objects, and report the trend per scorecard, rule and --group-by group'
            cand -f 'Output format'
            cand --format 'Output format'
            cand -o 'Write the report to FILE instead of standard output'
            cand --output 'Write the report to FILE instead of standard output'
            cand --group-by 'Roll the results up per owner team, system or domain (every format): entities per level and failing rules per group'
            cand --report 'Also write the report in FORMAT to PATH, from the same evaluation (repeatable), e.g. `--report sarif=callboard.sarif --report json=report.json`. A markdown report takes its own budget as `markdown:comment=PATH` (see --markdown-limit)'
            cand --markdown-limit 'The size budget of markdown reports: `comment` (a pull-request comment), `summary` (a step summary, the default) or a number of bytes. The report is cut to fit, most important first, with "N more" lines'
            cand --config 'Catalog configuration file (default: .callboard.yaml at the repository root, if present)'
            cand --no-waivers 'Ignore every waiver (the unwaived picture, for audits)'
            cand --allow-scope-exit 'With --base: accept entities leaving a scorecard''s scope (still named in the report)'
            cand --no-regression 'Fail the gate when any entity''s score or level dropped against --baseline'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'callboard;adoption'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand report 'Where the organisation stands in the adoption phases, and what to do next'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'callboard;adoption;report'= {
            cand --as-of 'The date to report on (YYYY-MM-DD); default: the date of the HEAD commit'
            cand -f 'Output format'
            cand --format 'Output format'
            cand -o 'Write the report to FILE instead of standard output'
            cand --output 'Write the report to FILE instead of standard output'
            cand --platform-team 'A Group of the platform team (repeatable; child groups count too): separates self-service catalog commits from the platform team''s'
            cand --usage 'Portal usage data (repeatable): events (CSV or NDJSON), an RHDH Adoption Insights events dump, a GA4 BigQuery export, or aggregates; see docs/adoption.md'
            cand --usage-format 'The format of the --usage files (default: detected from the header or first record)'
            cand --compare 'Add the change of every metric against the report at another revision (every format)'
            cand --teams 'The teams of the per-team section: a filter of `catalog query --where` over Groups, e.g. `childOf=group:default/engineering` or `name~^pay` (default: every team)'
            cand --eligible 'The eligible developers (a pilot group): a filter over Users, e.g. `memberOf=group:default/pilot`; rates and per-team numbers count only them'
            cand --config 'Catalog configuration file (default: .callboard.yaml at the repository root, if present)'
            cand --report 'Also write the report in FORMAT to PATH, from the same evaluation (repeatable), e.g. `--report sarif=callboard.sarif --report json=report.json`. A markdown report takes its own budget as `markdown:comment=PATH` (see --markdown-limit)'
            cand --markdown-limit 'The size budget of markdown reports: `comment` (a pull-request comment), `summary` (a step summary, the default) or a number of bytes. The report is cut to fit, most important first, with "N more" lines'
            cand --usage-lenient 'Skip bad usage rows (counted in the notes) instead of failing'
            cand --show-names 'Name individual users in the usage lists (default: aggregates only)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'callboard;adoption;help'= {
            cand report 'Where the organisation stands in the adoption phases, and what to do next'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'callboard;adoption;help;report'= {
        }
        &'callboard;adoption;help;help'= {
        }
        &'callboard;scaffold'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand list 'The Templates in the catalog, with whether every step can run offline'
            cand show 'A template''s parameters (flattened, for writing a values file), steps and support verdict'
            cand lint 'Check every `${{ }}` expression in a template and its skeleton files'
            cand run 'Run a template into a new directory (--output) or an existing checkout (--into)'
            cand batch 'Run a template once per row of a values list (YAML list or CSV): one repository per row'
            cand check 'Whether generated repositories are behind their template (exit 1 when one is)'
            cand update 'Bring generated repositories up to date with their template: a three-way merge'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'callboard;scaffold;list'= {
            cand --catalog 'The catalog repository (default: the git repository around the current directory)'
            cand -f 'Output format'
            cand --format 'Output format'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'callboard;scaffold;show'= {
            cand --catalog 'The catalog repository (default: the git repository around the current directory)'
            cand -f 'Output format'
            cand --format 'Output format'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'callboard;scaffold;lint'= {
            cand --catalog 'The catalog repository (default: the git repository around the current directory)'
            cand -f 'Output format'
            cand --format 'Output format'
            cand --report 'Also write the report in FORMAT to PATH, from the same evaluation (repeatable), e.g. `--report sarif=callboard.sarif --report json=report.json`. A markdown report takes its own budget as `markdown:comment=PATH` (see --markdown-limit)'
            cand --markdown-limit 'The size budget of markdown reports: `comment` (a pull-request comment), `summary` (a step summary, the default) or a number of bytes. The report is cut to fit, most important first, with "N more" lines'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'callboard;scaffold;run'= {
            cand -o 'Create this directory (absent or empty) with the result'
            cand --output 'Create this directory (absent or empty) with the result'
            cand --into 'Write into this existing checkout instead (for templates that change a repository)'
            cand --values 'Parameter values: YAML or JSON, what Backstage''s form would send'
            cand --set 'Set one parameter (typed by the template''s schema; `a.b=v` for nested ones). Repeatable'
            cand --secrets 'Secrets: a YAML or JSON mapping (`${{ secrets.x }}`). Never written or printed'
            cand --secret 'One secret. Repeatable'
            cand --user 'The user running the template (`user:default/jdoe`), looked up in the catalog for `${{ user.entity }}`'
            cand --url-map 'Serve absolute URLs under PREFIX from a local directory. Repeatable'
            cand --integration 'Declare an SCM integration for a host (github, gitlab, bitbucketCloud, bitbucketServer, azure, gitea, gerrit). Repeatable'
            cand --task-id '`${{ context.task.id }}` (default: a new random UUID, recorded)'
            cand --catalog 'The catalog repository (default: the git repository around the current directory)'
            cand --register-into 'Add the new catalog file as a target of this Location file (for catalog:register steps)'
            cand -f 'Output format'
            cand --format 'Output format'
            cand --skip-unsupported 'Skip steps whose action cannot run offline (their outputs are empty) instead of refusing to run'
            cand --keep-template-errors 'Do as Backstage does with a templating error in a step input: keep the raw text and go on (with a warning). By default the step fails'
            cand --no-record 'Do not write .callboard/scaffold.yaml nor the backstage.io/source-template annotation'
            cand --interactive 'Ask for missing required values on a terminal'
            cand --dry-run 'Render in a scratch directory and print the plan; write, commit and register nothing'
            cand --diff 'With --dry-run: show a unified diff of what would change'
            cand --exit-code 'With --dry-run: exit 1 when something would change'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'callboard;scaffold;batch'= {
            cand --values-list 'One row per repository: a YAML list of mappings, or CSV with a header row'
            cand --output-dir 'Where each repository goes: a path template rendered with the row (`{{ name }}`)'
            cand -j 'Parallel runs (default: the number of CPUs; at most 4 per CPU, or 16, whichever is more)'
            cand --jobs 'Parallel runs (default: the number of CPUs; at most 4 per CPU, or 16, whichever is more)'
            cand --shard 'Run only shard K of N of the rows (a stable split by output directory) for one job of a CI matrix; fold the shards'' JSON lines with `callboard merge-results`'
            cand --values 'Parameter values: YAML or JSON, what Backstage''s form would send'
            cand --set 'Set one parameter (typed by the template''s schema; `a.b=v` for nested ones). Repeatable'
            cand --secrets 'Secrets: a YAML or JSON mapping (`${{ secrets.x }}`). Never written or printed'
            cand --secret 'One secret. Repeatable'
            cand --user 'The user running the template (`user:default/jdoe`), looked up in the catalog for `${{ user.entity }}`'
            cand --url-map 'Serve absolute URLs under PREFIX from a local directory. Repeatable'
            cand --integration 'Declare an SCM integration for a host (github, gitlab, bitbucketCloud, bitbucketServer, azure, gitea, gerrit). Repeatable'
            cand --task-id '`${{ context.task.id }}` (default: a new random UUID, recorded)'
            cand --catalog 'The catalog repository (default: the git repository around the current directory)'
            cand --continue-on-error 'Go on with the other rows when one fails (the exit status is still 1)'
            cand --skip-unsupported 'Skip steps whose action cannot run offline (their outputs are empty) instead of refusing to run'
            cand --keep-template-errors 'Do as Backstage does with a templating error in a step input: keep the raw text and go on (with a warning). By default the step fails'
            cand --no-record 'Do not write .callboard/scaffold.yaml nor the backstage.io/source-template annotation'
            cand --interactive 'Ask for missing required values on a terminal'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'callboard;scaffold;check'= {
            cand --catalog 'The catalog repository holding the template (default: the one the record names, when local)'
            cand --to 'Compare against this revision of the catalog repository instead of HEAD'
            cand --skip 'With --drift: ignore paths matching GLOB. Repeatable'
            cand -f 'Output format'
            cand --format 'Output format'
            cand --drift 'Also re-render the recorded version and list files the project changed by hand'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'callboard;scaffold;update'= {
            cand --catalog 'The catalog repository holding the template'
            cand --to 'Update to this revision of the catalog repository (default: HEAD)'
            cand --set 'Change a recorded value (typed by the template''s schema). Repeatable'
            cand --template 'With --all: the template (entity ref)'
            cand --workspace 'With --all: checkouts live in DIR/<entity name>'
            cand --repo-map 'With --all: a YAML or JSON mapping of entity refs to checkout directories'
            cand -j 'With --all: parallel updates (default: the number of CPUs; at most 4 per CPU, or 16, whichever is more)'
            cand --jobs 'With --all: parallel updates (default: the number of CPUs; at most 4 per CPU, or 16, whichever is more)'
            cand --integration 'Declare an SCM integration for a host. Repeatable'
            cand --shard 'With --all: update only shard K of N (a stable split by entity ref) for one job of a CI matrix; fold the shards'' JSON lines with `callboard merge-results`'
            cand -f 'Output format (default: text; with --all, JSON lines)'
            cand --format 'Output format (default: text; with --all, JSON lines)'
            cand --allow-dirty 'Update even with uncommitted changes in the repository'
            cand --recreate-deleted 'Bring back files the template makes but the project deleted'
            cand --commit 'Commit the update on a new branch `callboard/update-<template>-<commit>` (not with conflicts)'
            cand --dry-run 'Show what would change; write nothing'
            cand --diff 'With --dry-run: a unified diff of the changes'
            cand --all 'Update every repository generated from --template (entities with that backstage.io/source-template)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'callboard;scaffold;help'= {
            cand list 'The Templates in the catalog, with whether every step can run offline'
            cand show 'A template''s parameters (flattened, for writing a values file), steps and support verdict'
            cand lint 'Check every `${{ }}` expression in a template and its skeleton files'
            cand run 'Run a template into a new directory (--output) or an existing checkout (--into)'
            cand batch 'Run a template once per row of a values list (YAML list or CSV): one repository per row'
            cand check 'Whether generated repositories are behind their template (exit 1 when one is)'
            cand update 'Bring generated repositories up to date with their template: a three-way merge'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'callboard;scaffold;help;list'= {
        }
        &'callboard;scaffold;help;show'= {
        }
        &'callboard;scaffold;help;lint'= {
        }
        &'callboard;scaffold;help;run'= {
        }
        &'callboard;scaffold;help;batch'= {
        }
        &'callboard;scaffold;help;check'= {
        }
        &'callboard;scaffold;help;update'= {
        }
        &'callboard;scaffold;help;help'= {
        }
        &'callboard;completions'= {
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'callboard;man'= {
            cand --dir 'Write callboard.1 and a page per subcommand (callboard-catalog-validate.1, …) into DIR'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'callboard;merge-results'= {
            cand -f 'Output format: a summary with the problems (text), or the merged JSON lines (json)'
            cand --format 'Output format: a summary with the problems (text), or the merged JSON lines (json)'
            cand -o 'Write the report to FILE instead of standard output'
            cand --output 'Write the report to FILE instead of standard output'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'callboard;lsp'= {
            cand --config 'Catalog configuration file (default: .callboard.yaml at the repository root, if present)'
            cand --stdio 'Talk over standard input and output (the only transport; accepted because many clients pass it)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'callboard;help'= {
            cand catalog 'Work with the catalog: validate, query, edit, rename, migrate, graph'
            cand score 'Score entities against scorecards (rules, weights, levels, waivers) and gate on the result'
            cand adoption 'Report on portal adoption: the phase, its gates, what blocks the next one and what to do'
            cand scaffold 'Run Backstage Software Templates locally: list, show, lint, run, batch'
            cand completions 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
            cand man 'Print the man page (roff) of callboard, or write one page per command into a directory'
            cand merge-results 'Fold the JSON lines of sharded `scaffold batch` or `scaffold update --all` runs into one result'
            cand lsp 'Run the language server for catalog files (diagnostics, hover, definition, references, rename, completion) on stdio'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'callboard;help;catalog'= {
            cand validate 'Validate catalog files: Backstage''s rules plus references, duplicates and Location targets'
            cand query 'Select entities with a filter and print them (table, json, ndjson, refs, files)'
            cand edit 'Change fields of the selected entities with minimal textual edits (dry run by default)'
            cand rename 'Rename an entity and rewrite every reference to it, in the form each was written'
            cand new 'Create an entity from its kind''s required fields, checked as `catalog validate` checks it (dry run by default)'
            cand move 'Move an entity''s YAML document into another file and rewrite the Location targets that named its old file (dry run by default)'
            cand migrate 'Apply a named migration (see --list)'
            cand graph 'Draw the relations of the selected entities as Graphviz DOT or Mermaid'
        }
        &'callboard;help;catalog;validate'= {
        }
        &'callboard;help;catalog;query'= {
        }
        &'callboard;help;catalog;edit'= {
        }
        &'callboard;help;catalog;rename'= {
        }
        &'callboard;help;catalog;new'= {
        }
        &'callboard;help;catalog;move'= {
        }
        &'callboard;help;catalog;migrate'= {
        }
        &'callboard;help;catalog;graph'= {
        }
        &'callboard;help;score'= {
        }
        &'callboard;help;adoption'= {
            cand report 'Where the organisation stands in the adoption phases, and what to do next'
        }
        &'callboard;help;adoption;report'= {
        }
        &'callboard;help;scaffold'= {
            cand list 'The Templates in the catalog, with whether every step can run offline'
            cand show 'A template''s parameters (flattened, for writing a values file), steps and support verdict'
            cand lint 'Check every `${{ }}` expression in a template and its skeleton files'
            cand run 'Run a template into a new directory (--output) or an existing checkout (--into)'
            cand batch 'Run a template once per row of a values list (YAML list or CSV): one repository per row'
            cand check 'Whether generated repositories are behind their template (exit 1 when one is)'
            cand update 'Bring generated repositories up to date with their template: a three-way merge'
        }
        &'callboard;help;scaffold;list'= {
        }
        &'callboard;help;scaffold;show'= {
        }
        &'callboard;help;scaffold;lint'= {
        }
        &'callboard;help;scaffold;run'= {
        }
        &'callboard;help;scaffold;batch'= {
        }
        &'callboard;help;scaffold;check'= {
        }
        &'callboard;help;scaffold;update'= {
        }
        &'callboard;help;completions'= {
        }
        &'callboard;help;man'= {
        }
        &'callboard;help;merge-results'= {
        }
        &'callboard;help;lsp'= {
        }
        &'callboard;help;help'= {
        }
    ]
    $completions[$command]
}
