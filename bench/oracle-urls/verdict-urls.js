// Backstage's verdict on catalog files whose placeholders name absolute URLs into the
// repository being checked. The same pinned packages and pipeline as the shared oracle
// (../shared/oracle/backstage-validate/verdict.js), with one difference: the UrlReader serves
// URLs under a mapped prefix from the working tree (as Backstage's reader would serve them
// from the hosted repository), and fails every other URL (offline). Usage:
//   ORACLE_MODULES=DIR node verdict-urls.js [--app-config FILE] --map PREFIX=DIR FILE...
// With --app-config, the portal's catalog rules (catalog.rules, catalog.locations[].rules) are
// enforced as the catalog does for every entity a location emits, the location being the
// file's URL (the first --map prefix joined with the file's path).
// One JSON line per file, in the shared oracle's shape.
const path = require('path');
const fs = require('fs');
const modules = process.env.ORACLE_MODULES;
if (!modules) { console.error('ORACLE_MODULES must name the oracle cache (node_modules parent)'); process.exit(2); }
const req = p => require(path.join(modules, 'node_modules', p));
const B = p => req(`@backstage/plugin-catalog-backend/dist/${p}.cjs.js`);
const cm = req('@backstage/catalog-model');
const { ConfigReader } = req('@backstage/config');
const { ScmIntegrations } = req('@backstage/integration');
const { ScaffolderEntitiesProcessor } = req('@backstage/plugin-catalog-backend-module-scaffolder-entity-model');
const { DefaultCatalogProcessingOrchestrator } = B('processing/DefaultCatalogProcessingOrchestrator');
const { BuiltinKindsEntityProcessor } = B('processors/BuiltinKindsEntityProcessor');
const P = B('processors/PlaceholderProcessor');
const { defaultEntityDataParser } = B('util/parse');
const { DefaultCatalogRulesEnforcer } = B('ingestion/CatalogRules');

const args = process.argv.slice(2);
let appConfig = null;
if (args[0] === '--app-config') { appConfig = req('yaml').parse(fs.readFileSync(args[1], 'utf8')); args.splice(0, 2); }
const maps = [];
while (args[0] === '--map') { const [prefix, dir] = args[1].split('='); maps.push([prefix, dir]); args.splice(0, 2); }
const readUrl = async url => {
  for (const [prefix, dir] of maps) {
    if (url.startsWith(prefix)) {
      const file = path.join(dir, url.slice(prefix.length));
      const data = fs.readFileSync(file); // a missing file fails as a NotFoundError would
      return { buffer: async () => data };
    }
  }
  throw new Error(`offline: no UrlReader (${url})`);
};
const KINDS = ['Component', 'API', 'Resource', 'System', 'Domain', 'Group', 'User', 'Location', 'Template'];
const config = new ConfigReader({ catalog: { rules: [{ allow: KINDS }] } });
const portalRules = appConfig && DefaultCatalogRulesEnforcer.fromConfig(new ConfigReader(appConfig));
const integrations = ScmIntegrations.fromConfig(config);
const logger = { info() {}, warn() {}, error() {}, debug() {}, child() { return logger; } };
const orchestrator = new DefaultCatalogProcessingOrchestrator({
  processors: [
    new P.PlaceholderProcessor({
      resolvers: { json: P.jsonPlaceholderResolver, yaml: P.yamlPlaceholderResolver, text: P.textPlaceholderResolver },
      reader: { readUrl, search: readUrl }, integrations }),
    new BuiltinKindsEntityProcessor(),
    new ScaffolderEntitiesProcessor(),
  ],
  integrations, logger, parser: defaultEntityDataParser,
  policy: cm.EntityPolicies.allOf([
    new cm.SchemaValidEntityPolicy(), new cm.DefaultNamespaceEntityPolicy(),
    new cm.NoForeignRootFieldsEntityPolicy(), new cm.FieldFormatEntityPolicy(cm.makeValidator())]),
  rulesEnforcer: DefaultCatalogRulesEnforcer.fromConfig(config),
});
const refOf = e => { try { return cm.stringifyEntityRef(e); } catch { return null; } };

async function verdict(file) {
  // Registered by URL, as a hosted repository is: relative placeholders resolve against it.
  const [prefix] = maps[0] || ['file:'];
  const target = prefix + file;
  const location = { type: 'url', target };
  const results = [];
  for await (const r of defaultEntityDataParser({ data: fs.readFileSync(file), location })) {
    if (r.type === 'error') { results.push({ error: String(r.error.message) }); continue; }
    let e;
    try { e = cm.entityEnvelopeSchemaValidator()(r.entity); }
    catch (err) { results.push({ error: `envelope: ${err.message}` }); continue; }
    e = { ...e, metadata: { ...e.metadata, annotations: {
      ...(e.metadata.annotations || {}),
      'backstage.io/managed-by-location': `url:${target}`, 'backstage.io/managed-by-origin-location': `url:${target}` } } };
    if (portalRules && !portalRules.isAllowed(e, location)) {
      results.push({ ref: refOf(e), ok: false, errors: [`NotAllowedError: kind ${e.kind} is not allowed from ${target}`] });
      continue;
    }
    const res = await orchestrator.process({ entity: e, state: undefined });
    results.push({ ref: refOf(e), ok: res.ok, errors: (res.errors || []).map(x => `${x.name}: ${x.message}`) });
  }
  return { file, ok: !results.some(o => o.error || o.ok === false), results };
}

(async () => {
  let failed = 0;
  for (const f of args) {
    let v;
    try { v = await verdict(f); } catch (err) { v = { file: f, ok: false, results: [{ error: `read: ${err.message}` }] }; }
    if (!v.ok) failed++;
    process.stdout.write(JSON.stringify(v) + '\n');
  }
  process.exitCode = failed ? 1 : 0;
})();
