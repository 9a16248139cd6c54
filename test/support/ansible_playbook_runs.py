"""
Runs ansible-playbook once per argument list in JOBS (a JSON list of lists), importing Ansible
once: each run is a fork that calls ansible-playbook's own main() with its fds 0/1/2 on
/dev/null and files of its own, and exits through Python's normal shutdown as the command does.
Importing Ansible is most of a short run's start-up time.

Import-time state is shared by every run, so every run gets this process's cwd and environment
(Ansible reads its configuration, ansible.cfg and ANSIBLE_* variables, when imported); what the
import prints is in OUTDIR/stdout.import and stderr.import, each run's own output in
OUTDIR/stdout.N and stderr.N. Prints the runs' exit codes as a JSON list (-N: killed by signal N).

Usage: python3 ansible_playbook_runs.py JOBS.json OUTDIR
"""
import atexit
import json
import os
import shutil
import sys

jobs_file, out_dir = sys.argv[1:3]
with open(jobs_file, encoding='utf-8') as handle:
    jobs = json.load(handle)
program = shutil.which('ansible-playbook')


def redirect(fd, path, flags):
    target = os.open(path, flags, 0o600)
    os.dup2(target, fd)
    os.close(target)


def stream_path(name, index):
    return os.path.join(out_dir, '%s.%s' % (name, index))


WRITE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
saved = [os.dup(1), os.dup(2)]
redirect(1, stream_path('stdout', 'import'), WRITE)
redirect(2, stream_path('stderr', 'import'), WRITE)
from ansible.cli.playbook import main  # noqa: E402
from ansible.config.manager import cleanup_tmp_file  # noqa: E402
# Modules every run imports as it goes, here once. Not plugins: Ansible's loader imports those.
import ansible.executor.interpreter_discovery  # noqa: E402,F401
import ansible.executor.process.worker  # noqa: E402,F401
import ansible.executor.task_executor  # noqa: E402,F401
import ansible.playbook.handler_task_include  # noqa: E402,F401
import ansible.playbook.included_file  # noqa: E402,F401
import ansible.playbook.role_include  # noqa: E402,F401
import ansible.plugins.action  # noqa: E402,F401
import ansible.plugins.become  # noqa: E402,F401
import ansible.plugins.connection  # noqa: E402,F401
import ansible.plugins.shell  # noqa: E402,F401
import ansible.plugins.strategy  # noqa: E402,F401
sys.stdout.flush()
sys.stderr.flush()
os.dup2(saved[0], 1)
os.dup2(saved[1], 2)

statuses = []
for index, args in enumerate(jobs):
    pid = os.fork()
    if pid == 0:
        # The import made DEFAULT_LOCAL_TMP and registered its removal; the later runs use it too.
        atexit.unregister(cleanup_tmp_file)
        redirect(0, os.devnull, os.O_RDONLY)
        redirect(1, stream_path('stdout', index), WRITE)
        redirect(2, stream_path('stderr', index), WRITE)
        sys.argv = [program] + args
        # As /usr/bin/ansible-playbook: its SystemExit (or any exception) leaves the loop and
        # ends this fork the way it ends the command.
        sys.exit(main())
    statuses.append(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))


json.dump(statuses, sys.stdout)
