"""Who may see and do what, declared once for every app (``awards``, ``scoring``, ``home``).

The rule of the house, in four parts:

1. **Roles are predicates** (``rules``): a platform administrator (an active superuser) may do
   everything; an official acts for the one awarding authority they belong to; a reviewer reviews
   for their authority; an applicant acts for their organization. Nothing else reads
   ``is_superuser``, ``role`` or ``authority_id`` to decide a permission.
2. **What a user may see is a scoped queryset** (``rules.scope_to_authority``): a platform
   administrator sees every row, an official the rows of their own authority, anyone else none.
   Views look their objects up in such a queryset, so another authority's object is a 404, not a
   403: hidden means 404, and a user cannot even learn that the object exists.
3. **The officials' pages declare it once** (``views``): ``OfficialOnlyMixin`` answers 404 to
   anyone who is not an official or platform administrator, and looks ``pk`` up in the view's
   ``scope``; ``OfficialMenuItem`` shows a menu entry to officials only; ``policies`` narrows
   Wagtail's model viewsets the same way.
4. **Services guard themselves** (``rules.require_authority``): every service that changes an
   authority's data takes the acting user (``by``) and refuses, with ``PermissionDenied`` and a
   clear message, an actor who does not act for that authority, so a view that forgot its check
   still cannot change another authority's data. ``by=None`` is the portal itself (``seed_demo``,
   tests building data); a web request never passes it, as ``request.user`` is at worst
   ``AnonymousUser``, which is refused. A refusal inside an official page becomes a 404 (the
   mixin turns ``PermissionDenied`` into ``Http404``): a correctly scoped view never reaches it, so
   answering like any other hidden object leaks nothing.

``rules`` needs only the models and sits low in ``awards`` (services, queries and forms use it);
``views`` and ``policies`` need Django's and Wagtail's views and sit just below the console.
This package's ``__init__`` imports nothing, so that importing the rules never loads Wagtail.
"""
