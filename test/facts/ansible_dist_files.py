# Runs ansible-core's DistributionFiles.process_dist_files over a fixture: {"files": {path: text},
# "guess": {...}, "links": {path: target}}; a file's text "" means it exists and is empty.
import json, os, sys
from ansible.module_utils.facts.system import distribution as d

fixture = json.load(sys.stdin)
files, links = fixture['files'], fixture.get('links', {})

def content(path, default=None, strip=True):
    if path not in files:
        return default
    data = files[path].strip() if strip else files[path]
    return data if data else default

def lines(path, strip=True, line_sep=None):
    data = content(path, strip=strip)
    return data.splitlines() if data else []

d.get_file_content = content
d.get_file_lines = lines
d._file_exists = lambda path, allow_empty=False: path in files and (allow_empty or len(files[path]) > 0)
d.os.path.islink = lambda path: path in links
d.os.path.realpath = lambda path: links.get(path, path)
d.get_distribution = lambda: fixture['guess']['distribution']

class Module:
    def get_bin_path(self, name): return None
    def run_command(self, cmd): return 1, '', ''
    def debug(self, msg): pass

dist_files = d.DistributionFiles(Module())
dist_files._guess_distribution = lambda: dict(fixture['guess'])
print(json.dumps(dist_files.process_dist_files(), sort_keys=True))
