"""Demo documents: placeholder replaced below."""


def load(demo):
    return None
