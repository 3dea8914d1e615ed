"""The pure decision core: need kinds, snapshots, estimators, rules per experience."""
