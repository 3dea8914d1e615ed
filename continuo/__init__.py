"""The `continuo` command: the composition root that mounts every user's sub-commands."""
