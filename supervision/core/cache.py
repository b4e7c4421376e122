"""Django's Redis cache, tolerant of Redis going away.

The cache only ever holds what can be recomputed (the API's rate-limit counters): when Redis is
down or restarting, a read is a miss, a write is dropped, and the page or API call answers as if
nothing were cached, instead of failing. Each failure is logged once per call, as a warning; the
connection is tried again on the next call, so the cache is used again as soon as Redis is back.
"""

import functools
import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

log = logging.getLogger(__name__)


def _tolerant(fallback):
    """Run the cache method; on a Redis error, log it and return ``fallback(*args, **kwargs)``."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except (RedisError, OSError):
                log.warning("cache unavailable: %s answered as a miss", method.__name__, exc_info=True)
                return fallback(*args, **kwargs)

        return wrapper

    return decorate


def _default(key, default=None, *args, **kwargs):
    return default


class TolerantRedisCache(RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` whose errors are misses (see the module)."""

    # A read is a miss; ``get_or_set`` then computes the value.
    get = _tolerant(_default)(RedisCache.get)
    get_many = _tolerant(lambda *a, **k: {})(RedisCache.get_many)
    has_key = _tolerant(lambda *a, **k: False)(RedisCache.has_key)
    # ``add`` answers True: the caller goes on as if it had started a fresh count.
    add = _tolerant(lambda *a, **k: True)(RedisCache.add)
    set = _tolerant(lambda *a, **k: None)(RedisCache.set)
    set_many = _tolerant(lambda *a, **k: [])(RedisCache.set_many)
    touch = _tolerant(lambda *a, **k: False)(RedisCache.touch)
    delete = _tolerant(lambda *a, **k: False)(RedisCache.delete)
    delete_many = _tolerant(lambda *a, **k: None)(RedisCache.delete_many)
    clear = _tolerant(lambda *a, **k: False)(RedisCache.clear)
    # A counter that cannot be read counts from one.
    incr = _tolerant(lambda key, delta=1, *a, **k: delta)(RedisCache.incr)
    decr = _tolerant(lambda key, delta=1, *a, **k: -delta)(RedisCache.decr)
