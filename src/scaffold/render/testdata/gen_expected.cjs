const base = require('fs').readdirSync(require('os').homedir()+'/.cache').find(d=>d.startsWith('backstage-scaffold-oracle-'));
const nm = require('os').homedir()+'/.cache/'+base+'/node_modules/';
const nunjitsu = require(nm+'nunjitsu');
const cdf = require(nm+'@backstage/plugin-scaffolder-backend/dist/lib/templating/filters/createDefaultFilters.cjs.js');
const {ScmIntegrations} = require(nm+'@backstage/integration');
const {ConfigReader} = require(nm+'@backstage/config');
const integrations = ScmIntegrations.fromConfig(new ConfigReader({}));
const filters = {}; for (const f of cdf.createDefaultFilters({integrations})) filters[f.id]=f.filter;
const cases = JSON.parse(require('fs').readFileSync(process.argv[2],'utf8'));
const out = [];
for (const c of cases) {
  const opts = c.opts||{};
  const r = nunjitsu.createTemplateRenderer({allowRegexExecution:true, filters, ...opts});
  const ctx = c.ctx||{};
  let res;
  try {
    if (c.mode==='value') { const v = r.renderValue(c.t, ctx, {coercion:'json'}); res = v===undefined? {undef:true} : {value: v}; }
    else res = {ok: r.render(c.t, ctx)};
  } catch(e) { res = {err: e.message.split('\n')[0], line: e.line}; }
  out.push({...c, ...res});
}
console.log(JSON.stringify(out, null, 1));
