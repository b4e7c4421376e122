"""Who may use a view, declared on the view itself.

Each face's views carry exactly one of these decorators; ``tests/test_permissions.py`` walks
every URL for every role so that a forgotten decorator shows up as a failing test.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def _role_required(check, *, leader_may_write: bool = False):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not check(user):
                raise PermissionDenied
            # Leadership reads everything and changes nothing, except where a view says so
            # (signing off escalations and briefings).
            if user.is_leader and request.method not in SAFE_METHODS and not leader_may_write:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorator


def regulator_required(view=None, *, leader_may_write: bool = False):
    """Administration staff and leadership (leadership read-only unless ``leader_may_write``)."""
    decorator = _role_required(lambda u: u.is_regulator, leader_may_write=leader_may_write)
    return decorator(view) if view else decorator


def regulator_staff_required(view):
    """Administration staff only."""
    return _role_required(lambda u: u.is_regulator_staff)(view)


def operator_required(view):
    """Any user of an operator: staff or manager."""
    return _role_required(lambda u: u.is_operator_user)(view)


def operator_manager_required(view):
    """An operator's manager: certifies submissions, is addressed by interviews."""
    return _role_required(lambda u: u.is_operator_manager)(view)


def user_administrator_required(view):
    """The administration's user administrators (``User.is_user_administrator``), whatever their
    role; never an operator's user, even one given the right by mistake."""
    return _role_required(lambda u: u.is_user_administrator and not u.is_operator_user)(view)
