"""Program improvement plans: baselines, goals and the measurements that follow."""
