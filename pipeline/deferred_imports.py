"""Load modules billfacts never calls only if someone else does.

medspaCy imports QuickUMLS to register its (optional) UMLS component, and QuickUMLS imports NLTK at its
top; spaCy's command line imports ``requests`` for model downloads: together about a third of a second of
every ``billfacts`` start-up, for libraries billfacts does not use (it never downloads anything).
Until something reads an attribute of it, ``nltk`` is a stand-in module here: QuickUMLS's ``import nltk``
succeeds at once, and the first attribute read (``nltk.corpus``) imports the real NLTK, puts it in
``sys.modules`` and answers from it, so code that does use NLTK in the same process behaves as before.
(The standard library's ``LazyLoader`` cannot do this on Python 3.11: a second ``import nltk`` reads the
module's ``__spec__``, which loads it.)
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types

DEFERRED = ("nltk", "requests")


class _DeferredModule(types.ModuleType):
    """Stands in for a module until one of its attributes is read."""

    def __getattr__(self, attribute: str):
        name = self.__name__
        if sys.modules.get(name) is self:
            del sys.modules[name]
        real = importlib.import_module(name)
        return getattr(real, attribute)


def defer_unused_imports() -> None:
    for name in DEFERRED:
        if name in sys.modules:
            continue
        spec = importlib.util.find_spec(name)
        if spec is None:
            continue
        module = _DeferredModule(name)
        module.__spec__ = spec
        module.__file__ = spec.origin
        sys.modules[name] = module
