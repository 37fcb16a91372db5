/**
 * The container shells: word expansion and control operators as POSIX shells do them, and each
 * shell's own wording for a command it cannot find (BusyBox ash: shell/ash.c; dash:
 * src/exec.c; bash: execute_cmd.c; zsh).
 */
import { describe, expect, test } from 'vitest';
import { newShell, notFoundMessage, runScript, type RunProgram } from '../../../src/network/shell/run.ts';
import { Output } from '../../../src/network/tools/tool.ts';

/** Programs for the tests: echo-args prints its arguments one per line, cat copies stdin. */
const programs: RunProgram = (argv, env, stdin) => {
  const out = new Output();
  switch (argv[0]) {
    case 'args':
      return out.out(argv.slice(1).map((a) => `<${a}>\n`).join(''));
    case 'cat':
      return out.out(stdin);
    case 'fail':
      return out.err('failing\n').exit(3);
    case 'showenv':
      return out.out(`${env.get(argv[1]) ?? '(unset)'}\n`);
    default:
      return out.err(`${argv[0]}: not here\n`).exit(127);
  }
};

function sh(kind: 'ash' | 'dash' | 'bash' | 'zsh' = 'ash', commandString = true) {
  return newShell(kind, kind === 'ash' || kind === 'dash' ? 'sh' : kind, [['HOME', '/root'], ['GREETING', 'hello world']], {
    interactive: false,
    commandString,
    bashMajor: 5,
    cwd: '/',
    home: '/root',
  });
}

function run(script: string, shell = sh()) {
  const r = runScript(shell, script, programs);
  return { out: r.stdout(), err: r.stderr(), code: r.code, exited: r.exited };
}

describe('words', () => {
  test('quotes, variables and field splitting', () => {
    expect(run(`args 'a b' "c $GREETING" $GREETING x\\ y ""`).out).toBe('<a b>\n<c hello world>\n<hello>\n<world>\n<x y>\n<>\n');
  });
  test('an empty unquoted expansion is no word', () => {
    expect(run('args $NOPE end').out).toBe('<end>\n');
  });
  test('command substitution and $?', () => {
    expect(run('args "$(args x)" `args y`').out).toBe('<<x>>\n<<y>>\n');
    expect(run('fail; args $?').out).toBe('<3>\n');
  });
  test('assignments, export and a prefix assignment for one command', () => {
    expect(run('X=1; showenv X; export X; showenv X; Y=2 showenv Y; showenv Y').out).toBe('(unset)\n1\n2\n(unset)\n');
  });
});

describe('control', () => {
  test('pipelines feed stdout to stdin; stderr passes through', () => {
    const r = run('args a b | cat');
    expect(r.out).toBe('<a>\n<b>\n');
  });
  test('&& and || look at the status', () => {
    expect(run('fail && args no || args yes').out).toBe('<yes>\n');
    expect(run('args ok && args then').out).toBe('<ok>\n<then>\n');
  });
  test('for loops', () => {
    expect(run('for i in 1 2 3; do args $i; done').out).toBe('<1>\n<2>\n<3>\n');
  });
  test('redirections: 2>&1, >/dev/null, 2>/dev/null', () => {
    expect(run('fail 2>&1').out).toBe('failing\n');
    expect(run('fail 2>/dev/null').err).toBe('');
    expect(run('args x >/dev/null').out).toBe('');
  });
  test('exit ends the script with its status', () => {
    const r = run('args a; exit 4; args b');
    expect(r.out).toBe('<a>\n');
    expect(r.exited).toBe(4);
  });
});

describe('a command that is not found (exit 127)', () => {
  test('each shell words it its own way', () => {
    expect(notFoundMessage(sh('ash'), 'foo')).toBe('sh: foo: not found\n');
    expect(notFoundMessage(sh('dash'), 'foo')).toBe('sh: 1: foo: not found\n');
    expect(notFoundMessage(sh('bash', false), 'foo')).toBe('bash: foo: command not found\n');
    expect(notFoundMessage(sh('bash', true), 'foo')).toBe('bash: line 1: foo: command not found\n');
    expect(notFoundMessage(sh('zsh'), 'foo')).toBe('zsh: command not found: foo\n');
  });
  test('bash before 5.1 does not name the line with -c', () => {
    const old = newShell('bash', 'bash', [], { interactive: false, commandString: true, bashMajor: 4, cwd: '/', home: '/root' });
    expect(notFoundMessage(old, 'foo')).toBe('bash: foo: command not found\n');
  });
});

test('syntax errors', () => {
  expect(run('args a | | args b', sh('bash')).err).toBe("bash: -c: line 1: syntax error near unexpected token `|'\n");
  expect(run('; args', sh('dash')).err).toBe('sh: 1: Syntax error: ";" unexpected\n');
});
