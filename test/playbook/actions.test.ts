import { describe, expect, it } from 'vitest';
import { allTasks, loadModel, plain, taskNamed } from './helpers.js';

const play = loadModel('actions.yml').plays[0]!;
const tasks = allTasks(play.tasks);

function action(name: string): { action: string; actionAs: string; args: unknown } {
  const task = taskNamed(tasks, name);
  return { action: task.action, actionAs: task.actionAs, args: plain(task.args) };
}

describe('action and argument forms (mod_args.py)', () => {
  it.each([
    ['mapping form', 'copy', 'copy', { src: 'a', dest: 'b' }],
    ['k=v form', 'copy', 'copy', { src: 'a', dest: 'b c' }],
    ['free form', 'command', 'command', { creates: '/tmp/x', _raw_params: 'echo hi' }],
    ['mixed form', 'command', 'command', { chdir: '/tmp', _raw_params: 'ls -l' }],
    ['old action form', 'copy', 'copy', { src: 'a', dest: 'b' }],
    ['old action mapping form', 'file', 'file', { path: '/tmp/x', state: 'touch' }],
    ['local action', 'command', 'command', { _raw_params: 'hostname' }],
    ['fully qualified', 'file', 'ansible.builtin.file', { path: '/tmp/y', state: 'absent' }],
    ['legacy collection', 'stat', 'ansible.legacy.stat', { path: '/' }],
    ['cmd argument', 'shell', 'shell', { _raw_params: 'echo from cmd' }],
    ['no arguments', 'debug', 'debug', {}],
    ['whole args from a variable', 'copy', 'copy', { _variable_params: '{{ copy_args }}' }],
    ['set_fact k=v', 'set_fact', 'set_fact', { a: '1', b: 'two' }],
  ])('%s', (name, resolved, written, args) => {
    expect(action(name)).toEqual({ action: resolved, actionAs: written, args });
  });

  it('local_action delegates to localhost', () => {
    expect(taskNamed(tasks, 'local action').keywords.get('delegate_to')).toBe('localhost');
  });

  it('with_<lookup> becomes loop and loop_with, as task.py stores it', () => {
    const task = taskNamed(tasks, 'with_items loop');
    expect(task.keywords.get('loop_with')).toBe('items');
    expect(plain(task.keywords.get('loop'))).toEqual([1, 2]);
    expect(task.keywords.has('with_items')).toBe(false);
  });

  it('keeps keyword values raw and the action key out of keywords', () => {
    const task = taskNamed(tasks, 'mixed form');
    expect([...task.keywords.keys()]).toEqual(['name']);
  });

  it('records where each task was written', () => {
    expect(taskNamed(tasks, 'k=v form').at).toMatchObject({ line: 7, col: 7 });
  });
});
