import type { ResultData } from '../output/events.js';
import type { Task } from '../playbook/model.js';
import { pyStr } from '../template/python/index.js';
import type { Templar } from '../template/index.js';
import { PyDict, type PyValue } from '../template/values.js';
import { failedResultValue, unsafeDeep } from './task_result.js';

/** A task's failure on one host, kept until the iterator says whether a rescue caught it. */
export interface PendingFailure {
  task: Task;
  result: ResultData;
}

/**
 * The facts a `rescue:` sees (StrategyBase._process_pending_results sets them as
 * non-persistent facts): `ansible_failed_result`, the failed result, and
 * `ansible_failed_task`, the task's serialisation — its action, arguments and templated
 * name as the linear strategy leaves them, and the keywords the task sets (Ansible also
 * lists every keyword left at its default; fleet lists only those written).
 */
export function rescueFacts(failure: PendingFailure, templar: Templar): PyDict {
  const { task, result } = failure;
  const serialised = new PyDict();
  for (const [key, value] of task.keywords) serialised.set(key, value);
  serialised.set('action', task.actionAs);
  serialised.set('args', task.args);
  serialised.set('name', templatedName(task, templar));
  return new PyDict([
    ['ansible_failed_task', unsafeDeep(serialised)],
    ['ansible_failed_result', failedResultValue(result, task.action)],
  ]);
}

function templatedName(task: Task, templar: Templar): PyValue {
  if (task.name === null) return '';
  try {
    return pyStr(templar.template(task.name));
  } catch {
    return task.name;
  }
}
