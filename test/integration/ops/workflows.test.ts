// The workflows and action.yml, checked by a workflow linter from npm
// (@action-validator/core: GitHub's workflow and action-metadata JSON schemas, compiled to
// wasm and shipped inside the package, so it runs offline) plus the checks a schema cannot
// make: expression syntax (GitHub's own parser, @actions/expressions), no `${{ }}` inside
// `run:`, least permissions, inputs of `uses: ./` that action.yml declares, and the
// contracts of deliver.yml and rollback.yml. docs/setup.md says why this linter.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import actionValidator from '@action-validator/core';
import { Lexer, Parser } from '@actions/expressions';
import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';
import { REPO_ROOT } from '../../helpers/cli.js';

const WORKFLOWS = join(REPO_ROOT, '.github', 'workflows');
const files = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));
const read = (file: string) => readFileSync(join(WORKFLOWS, file), 'utf8');
const ACTION_YML = readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8');

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, string>;
}
interface Job {
  if?: string;
  env?: Record<string, string>;
  permissions?: Record<string, string> | string;
  concurrency?: { group: string; 'cancel-in-progress': boolean | string };
  steps: Step[];
}
interface Workflow {
  on: Record<string, { inputs?: Record<string, { type: string; required?: boolean }> } | null>;
  permissions?: Record<string, string> | string;
  jobs: Record<string, Job>;
}
const workflow = (file: string) => parse(read(file)) as Workflow;
const action = parse(ACTION_YML) as {
  inputs: Record<string, unknown>;
  runs: { steps: Step[] };
};

// Contexts and status functions GitHub provides to workflow and action expressions.
const CONTEXTS = [
  'github',
  'env',
  'vars',
  'job',
  'jobs',
  'steps',
  'runner',
  'secrets',
  'strategy',
  'matrix',
  'needs',
  'inputs',
];
const STATUS_FUNCTIONS = ['success', 'failure', 'cancelled', 'always'].map((name) => ({
  name,
  minArgs: 0,
  maxArgs: 0,
}));
STATUS_FUNCTIONS.push({ name: 'hashFiles', minArgs: 1, maxArgs: 255 });

function expressionErrors(text: string): string[] {
  const errors: string[] = [];
  for (const m of text.matchAll(/\$\{\{([\s\S]*?)\}\}/g)) {
    try {
      const lexed = new Lexer(m[1]!).lex();
      new Parser(lexed.tokens, CONTEXTS, STATUS_FUNCTIONS).parse();
    } catch (e) {
      errors.push(`${m[0]}: ${String(e)}`);
    }
  }
  // `if:` values may omit ${{ }}.
  for (const m of text.matchAll(/^\s*(?:- )?if: (?!\$\{\{)(.+)$/gm)) {
    try {
      new Parser(new Lexer(m[1]!).lex().tokens, CONTEXTS, STATUS_FUNCTIONS).parse();
    } catch (e) {
      errors.push(`if: ${m[1]}: ${String(e)}`);
    }
  }
  return errors;
}

const allSteps = (wf: Workflow) => Object.values(wf.jobs).flatMap((job) => job.steps);

describe('workflow linter (@action-validator/core)', () => {
  test('finds the five workflows of the kit', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'check-dist.yml',
        'ci.yml',
        'deliver.yml',
        'release.yml',
        'rollback.yml',
      ]),
    );
  });

  test.each(files)('%s is a valid workflow', (file) => {
    expect(actionValidator.validateWorkflow(read(file)).errors).toEqual([]);
  });

  test('action.yml is valid action metadata', () => {
    expect(actionValidator.validateAction(ACTION_YML).errors).toEqual([]);
  });

  test('the linter rejects what GitHub would reject (so the checks above can fail)', () => {
    const broken = read('deliver.yml').replace('runs-on: ubuntu-latest', 'runs_on: ubuntu-latest');
    expect(actionValidator.validateWorkflow(broken).errors).not.toEqual([]);
    const noShell = ACTION_YML.replace(/\n\s+shell: bash/, '');
    expect(noShell).not.toBe(ACTION_YML);
    expect(actionValidator.validateAction(noShell).errors).not.toEqual([]);
    expect(expressionErrors('x: ${{ github.event_name == }}')).toHaveLength(1);
    expect(expressionErrors('x: ${{ sekrets.TOKEN }}')).toHaveLength(1);
  });
});

describe('checks beyond the schema', () => {
  test.each([...files, 'action.yml'])(
    '%s: every expression parses with GitHub’s expression parser',
    (file) => {
      expect(expressionErrors(file === 'action.yml' ? ACTION_YML : read(file))).toEqual([]);
    },
  );

  test.each([...files, 'action.yml'])(
    '%s: no ${{ }} inside run: (inputs reach scripts via env)',
    (file) => {
      const steps = file === 'action.yml' ? action.runs.steps : allSteps(workflow(file));
      expect(steps.filter((s) => s.run?.includes('${{')).map((s) => s.run)).toEqual([]);
    },
  );

  test.each(files)('%s: sets permissions explicitly, never write-all or read-all', (file) => {
    const wf = workflow(file);
    expect(wf.permissions, 'top-level permissions').toBeDefined();
    for (const [name, job] of Object.entries(wf.jobs)) {
      expect(typeof (job.permissions ?? wf.permissions), name).toBe('object');
    }
  });

  // What each job of the kit may do, and nothing more.
  test.each([
    ['deliver.yml', 'pull-request', { contents: 'read', 'pull-requests': 'write' }],
    ['deliver.yml', 'release', { contents: 'read', packages: 'write', deployments: 'write' }],
    ['rollback.yml', 'rollback', { contents: 'read', deployments: 'write' }],
    ['ci.yml', 'test', { contents: 'read' }],
    ['check-dist.yml', 'check-dist', { contents: 'read' }],
    ['release.yml', 'move-major-tag', { contents: 'write' }],
  ])('%s job %s has the least permissions', (file, job, expected) => {
    const wf = workflow(file);
    expect(wf.jobs[job]!.permissions ?? wf.permissions).toEqual(expected);
  });

  test.each(files)('%s: third-party actions are pinned to a version', (file) => {
    for (const step of allSteps(workflow(file))) {
      if (step.uses && !step.uses.startsWith('./'))
        expect(step.uses).toMatch(/^[\w.-]+\/[\w.-]+@(v\d+|[0-9a-f]{40})$/);
    }
  });

  test.each(files)('%s: `uses: ./` passes only inputs that action.yml declares', (file) => {
    for (const step of allSteps(workflow(file)).filter((s) => s.uses === './')) {
      for (const key of Object.keys(step.with ?? {}))
        expect(Object.keys(action.inputs), key).toContain(key);
    }
  });
});

describe('deliver.yml and rollback.yml', () => {
  const stagesOf = (job: Job) => job.steps.find((s) => s.uses === './')?.with;

  test('deliver: lint,train on pull requests, every stage on pushes to main, in examples/classifier', () => {
    const wf = workflow('deliver.yml');
    expect(Object.keys(wf.on).sort()).toEqual(['pull_request', 'push']);
    const pr = Object.values(wf.jobs).find((j) => j.if?.includes("== 'pull_request'"))!;
    const push = Object.values(wf.jobs).find((j) => j.if?.includes("== 'push'"))!;
    expect(stagesOf(pr)).toEqual(
      expect.objectContaining({ stages: 'lint,train', 'working-directory': 'examples/classifier' }),
    );
    expect(stagesOf(push)).toEqual(
      expect.objectContaining({ stages: 'all', 'working-directory': 'examples/classifier' }),
    );
    expect(pr.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
  });

  test('deliver and rollback share one concurrency group per environment and never cancel it', () => {
    const release = workflow('deliver.yml').jobs['release']!;
    const rollback = workflow('rollback.yml').jobs['rollback']!;
    expect(release.concurrency).toEqual({
      group: 'model-delivery-production',
      'cancel-in-progress': false,
    });
    expect(rollback.concurrency).toEqual({
      group: 'model-delivery-${{ inputs.environment }}',
      'cancel-in-progress': false,
    });
  });

  test('the jobs that deliver give the notify stage SLACK_WEBHOOK_URL, the one name the action and the bot read', () => {
    const jobs = [
      workflow('deliver.yml').jobs['release']!,
      workflow('rollback.yml').jobs['rollback']!,
    ];
    for (const job of jobs)
      expect(job.env?.SLACK_WEBHOOK_URL).toBe('${{ secrets.SLACK_WEBHOOK_URL }}');
    const everything = files.map(read).join('\n');
    expect(everything).not.toMatch(/SLACK_WEBHOOK\b(?!_URL)/);
  });

  test('rollback: workflow_dispatch with environment, to, reason and incident runs the rollback stage', () => {
    const wf = workflow('rollback.yml');
    expect(Object.keys(wf.on)).toEqual(['workflow_dispatch']);
    const inputs = wf.on.workflow_dispatch!.inputs!;
    expect(Object.keys(inputs)).toEqual(['environment', 'to', 'reason', 'incident']);
    // The bot dispatches strings over the API.
    for (const input of Object.values(inputs)) expect(input.type).toBe('string');
    const step = wf.jobs['rollback']!.steps.find((s) => s.uses === './')!;
    expect(step.with?.stages).toBe('rollback');
    expect(step.with?.set).toContain('deploy.environment=${{ inputs.environment }}');
  });
});

describe('the Python example’s workflows (what a model repository copies)', () => {
  const dir = join(REPO_ROOT, 'examples', 'python-classifier', '.github', 'workflows');
  const names = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
  const text = (f: string) => readFileSync(join(dir, f), 'utf8');
  const parsed = (f: string) => parse(text(f)) as Workflow;

  test.each(names)('%s is valid, parses, pins actions and keeps ${{ }} out of run:', (f) => {
    expect(actionValidator.validateWorkflow(text(f)).errors).toEqual([]);
    expect(expressionErrors(text(f))).toEqual([]);
    for (const step of allSteps(parsed(f))) {
      expect(step.run ?? '').not.toContain('${{');
      if (step.uses) expect(step.uses).toMatch(/^[\w.-]+\/[\w.-]+@(v\d+|[0-9a-f]{40})$/);
    }
  });

  test.each(names)('%s: the action by its one name, declared inputs only, no Node set-up', (f) => {
    const steps = allSteps(parsed(f));
    const ours = steps.filter((s) => s.uses?.includes('model-delivery'));
    expect(ours.length).toBeGreaterThan(0);
    for (const step of ours) {
      expect(step.uses).toBe('model-delivery/model-delivery@v1');
      for (const key of Object.keys(step.with ?? {}))
        expect(Object.keys(action.inputs), key).toContain(key);
    }
    expect(steps.filter((s) => s.uses?.startsWith('actions/setup-node'))).toEqual([]);
    expect(steps.filter((s) => /\bnpm\b/.test(s.run ?? ''))).toEqual([]);
  });

  test('deliver: the pull request job stays out of the production concurrency group', () => {
    const jobs = parsed('deliver.yml').jobs as Record<string, Job & { environment?: string }>;
    expect(jobs['checks']!.concurrency?.group).toBe(
      'deliver-pr-${{ github.event.pull_request.number }}',
    );
    for (const name of ['deploy', 'promote'])
      expect(jobs[name]!.concurrency).toEqual({
        group: 'model-delivery-production',
        'cancel-in-progress': false,
      });
    expect(jobs['promote']!.environment).toBe('production');
  });
});
