// The architecture of src/, as rules that `npm run lint:layers` (and so `npm test`) enforce.
//
//   errors → config → aws → waiters → steps | doctor | connect | lambda | lease | grants | users → ui → commands → cli
//
// Read the table from the bottom layer up: what each layer is, the only layers it may import, and
// why. A layer may always import its own files. It never imports a layer above it or beside it.

const ARCHITECTURE =
  'Layers, bottom up: errors → config → aws → waiters → steps | doctor | connect | lambda | lease | grants | users → ui → commands → cli; ' +
  'a layer never imports one above or beside it.';

/** @typedef {{ path: string, is: string, mayImport: string[], because: string }} Layer */

/** @type {Record<string, Layer>} bottom up */
const layers = {
  errors: {
    path: '^src/errors[.]ts$',
    is: 'the error types and exit codes',
    mayImport: [],
    because: 'every layer throws them',
  },
  config: {
    path: '^src/config/',
    is: 'parsing and validating user input: options, defaults, derived names and tags',
    mayImport: ['errors'],
    because: 'it is plain rules on plain data that every layer may use, and it works (and is tested) without AWS, waiting or a terminal',
  },
  aws: {
    path: '^src/aws/',
    is: 'the client factory, credentials, region and profile via the SDK loaders, error classification, and the shape an API takes back from what another gave (a proxy\'s auth list)',
    mayImport: ['errors', 'config'],
    because: 'it is the one door to AWS that the layers calling AWS build on',
  },
  waiters: {
    path: '^src/waiters/',
    is: 'the one polling primitive and the resource waiters built on it',
    mayImport: ['errors', 'config', 'aws'],
    because: 'steps and doctor both build on them, so waiters know neither',
  },
  steps: {
    path: '^src/steps/',
    is: 'the stack as a graph of steps, and the runner that builds and removes it',
    mayImport: ['errors', 'config', 'aws', 'waiters'],
    because:
      'steps, doctor and connect stand side by side and none imports another; what they share lives below them, what shows their results (ui, commands) above',
  },
  doctor: {
    path: '^src/doctor/',
    is: 'the checks on any proxy and the facts they read',
    mayImport: ['errors', 'config', 'aws', 'waiters'],
    because:
      'it stands beside steps and connect, and diagnoses proxies this tool did not make too: stack names and tags come from config/names.ts, never from steps; ui renders its report',
  },
  connect: {
    path: '^src/connect/',
    is: 'the IAM token, the TLS client and the connection snippet',
    mayImport: ['errors', 'config', 'aws'],
    because: 'it stands beside steps and doctor, and uses a proxy that exists: it neither builds nor waits for one',
  },
  lease: {
    path: '^src/lease/',
    is: "the stack's lease on AWS: one writing run per stack at a time",
    mayImport: ['errors', 'config', 'aws', 'waiters'],
    because: 'it stands beside steps, doctor and connect: the commands that write take it around the engine, ui renders what it reports',
  },
  users: {
    path: '^src/users/',
    is: 'database users through the RDS Data API: SQL, their secrets, the proxy auth list and role policies',
    mayImport: ['errors', 'config', 'aws', 'waiters'],
    because: 'it stands beside steps, doctor and connect: it works on a stack that exists, and shares with steps only what lives below them (names, policies in config)',
  },
  lambda: {
    path: '^src/lambda/',
    is: "the stack's client function (bundled into one file by scripts/build-lambda.mjs), its deployment and its invocation",
    mayImport: ['errors', 'config', 'aws'],
    because: 'it is a leaf like connect and runs inside AWS with only what it needs',
  },
  grants: {
    path: '^src/grants/',
    is: 'grant and revoke: wiring a Lambda function or an IAM role to a stack\'s proxy, and undoing exactly that',
    mayImport: ['errors', 'config', 'aws', 'waiters'],
    because:
      'it stands beside steps, doctor and connect: commands read the stack with the steps and hand it a plain target, and run the doctor\'s checks after it',
  },
  ui: {
    path: '^src/ui/',
    is: 'the one output object (TTY, plain lines, JSON), prompts and report rendering',
    mayImport: ['errors', 'config', 'aws', 'waiters', 'steps', 'doctor', 'connect', 'lease', 'lambda', 'grants', 'users'],
    because: 'it renders what the layers below produce, and none of them knows how it is shown',
  },
  commands: {
    path: '^src/commands/',
    is: 'one file per command: parse, validate, call the engine, render',
    mayImport: ['errors', 'config', 'aws', 'waiters', 'steps', 'doctor', 'connect', 'lease', 'lambda', 'grants', 'users', 'ui'],
    because: 'a command wires the layers below together, and none of them knows which command runs it',
  },
  cli: {
    path: '^src/cli[.]ts$',
    is: 'the commander program, the global options and the one top-level error handler',
    mayImport: ['errors', 'config', 'aws', 'waiters', 'steps', 'doctor', 'connect', 'lease', 'lambda', 'grants', 'users', 'ui', 'commands'],
    because: 'it is the top, imported only by bin/',
  },
};

/** '^src/config/' → 'src/config/', '^src/cli[.]ts$' → 'src/cli.ts' */
const shown = (path) => path.slice(1).replace('[.]', '.').replace(/[$]$/, '');

/** One rule per layer: from the layer to any file in src/ that is neither its own nor in a layer it may import. */
const layerRules = Object.entries(layers).map(([name, layer]) => ({
  name: `layer-${name}`,
  severity: 'error',
  comment:
    `${shown(layer.path)} is ${layer.is}. ` +
    `It may import ${layer.mayImport.length ? `only ${layer.mayImport.join(', ')}` : 'nothing else in src/'}: ` +
    `${layer.because}. ${ARCHITECTURE}`,
  from: { path: layer.path },
  to: { path: '^src/', pathNot: [layer.path, ...layer.mayImport.map((lower) => layers[lower].path)] },
}));

/** The layers whose code calls AWS through an SDK client. */
const awsCallers = ['aws', 'waiters', 'steps', 'doctor', 'connect', 'lease', 'lambda', 'grants', 'users'];

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    ...layerRules,
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'Import cycles are forbidden, type-only imports included: a cycle means two files are one ' +
        'responsibility split in two, or a shared piece that belongs in a file of its own below both.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'aws-sdk-clients-only-where-aws-is-called',
      severity: 'error',
      comment:
        'Only the layers that call AWS (aws, waiters, steps, doctor, connect, lease, lambda, grants, users) import ' +
        '@aws-sdk/client-*. config, ui, commands and cli do not, not even for a type: they work with ' +
        'the shapes those layers return, so a change of SDK request or response shape stops there.',
      from: { path: '^src/', pathNot: awsCallers.map((name) => layers[name].path) },
      to: { path: 'node_modules/@aws-sdk/client-' },
    },
    {
      name: 'src-not-to-test',
      severity: 'error',
      comment: 'The shipped code never depends on the tests or their helpers; test/ is not in the package.',
      from: { path: '^src/' },
      to: { path: '^test/' },
    },
    {
      name: 'src-not-to-dev-dependency',
      severity: 'error',
      comment:
        'devDependencies are not installed with the package, so src/ imports (types included) come ' +
        "from 'dependencies' only. Type packages (@types/*) are the exception: they describe, not run.",
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'], pathNot: ['node_modules/@types/'] },
    },
    {
      name: 'src-only-declared-packages',
      severity: 'error',
      comment:
        "Every package src/ imports is declared in package.json's 'dependencies': one that merely " +
        'happens to be installed (a transitive dependency) can vanish or change with any update.',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'Every import resolves to a file or an installed package: a typo or a missing package fails here.',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-orphans',
      severity: 'error',
      comment:
        'Every file in src/ imports or is imported by another: a file nothing uses is dead code; delete it.',
      from: { orphan: true, path: '^src/' },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules'] },
    // Type-only imports count: a type import still couples two layers and can close a cycle.
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
  },
};
