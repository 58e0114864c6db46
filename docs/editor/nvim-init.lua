-- Neovim 0.7 configuration for callboard's language server (docs/editor.md).
-- Neovim 0.7 has vim.lsp.start_client and vim.lsp.buf_attach_client, not vim.lsp.start.
-- CALLBOARD_BIN names the binary (default: callboard on PATH).

local binary = os.getenv('CALLBOARD_BIN') or 'callboard'

-- The workspace root: the git repository around the file, else the working directory.
local function callboard_root(file)
  local found = vim.fn.finddir('.git', vim.fn.fnamemodify(file, ':p:h') .. ';')
  if found ~= '' then return vim.fn.fnamemodify(found, ':p:h:h') end
  return vim.fn.getcwd()
end

-- One server per workspace root; every YAML buffer under it attaches to it.
local clients = {}
vim.api.nvim_create_autocmd('FileType', {
  pattern = 'yaml',
  callback = function(args)
    local root = callboard_root(vim.api.nvim_buf_get_name(args.buf))
    if not clients[root] then
      clients[root] = vim.lsp.start_client({
        name = 'callboard',
        cmd = { binary, 'lsp' },
        root_dir = root,
        workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
      })
    end
    vim.lsp.buf_attach_client(args.buf, clients[root])
  end,
})

-- K shows the hover, gd goes to the definition, gr lists references, <leader>r renames.
vim.keymap.set('n', 'K', vim.lsp.buf.hover)
vim.keymap.set('n', 'gd', vim.lsp.buf.definition)
vim.keymap.set('n', 'gr', vim.lsp.buf.references)
vim.keymap.set('n', '<leader>r', vim.lsp.buf.rename)
vim.opt.signcolumn = 'yes'
