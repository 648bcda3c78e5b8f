# A STAND-IN for kv_cache_benchmark/kv-cache.py, which cannot be installed on this machine (no PyPI,
# no GitHub). It takes the real script's flags, copies the v3.0-schema sample to --output, and fails
# without output for the seed named in MOCK_KV_FAIL_SEED, as an OOM-killed rank would.
import json, os, sys
args = sys.argv[1:]
def flag(name):
    return args[args.index(name) + 1]
seed = int(flag('--seed'))
if os.environ.get('MOCK_KV_FAIL_SEED') == str(seed):
    sys.exit(137)
sample = json.load(open(os.environ['MOCK_KV_SAMPLE']))
sample['seed'] = seed
os.makedirs(flag('--cache-dir'), exist_ok=True)
json.dump(sample, open(flag('--output'), 'w'))
print('Results saved to', flag('--output'))
