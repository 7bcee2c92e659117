// Starts `ipcheck lsp` for .ipl files.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("ipl").get("server.path", "ipcheck");
  client = new LanguageClient(
    "ipcheck",
    "ipcheck",
    { command, args: ["lsp"] },
    {
      documentSelector: [{ language: "ipl" }],
      synchronize: {
        // Tell the server when a policy file changes on disk.
        fileEvents: vscode.workspace.createFileSystemWatcher("**/*.ipl"),
      },
    }
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
