"""Choices of a model's select read in one plain query.

Django's `ModelChoiceIterator` reads a select's rows with `QuerySet.iterator()`, which on PostgreSQL is a
server-side cursor: DECLARE … WITH HOLD (outside a transaction the rows are materialised at once), FETCH,
CLOSE — three round trips where one would do, for each select of each form on every page. Profiled under the
load test (bench/load.py), the filter bars' selects took 14 % of the web workers' time, mostly there. The
rows all end up in the page's HTML anyway, so reading them in one query costs no more memory than the
rendered select itself. `ListedModelChoiceIterator` is Django's iterator without `.iterator()`; it is the
iterator of every `ModelChoiceField` (core/apps.py)."""

from django.forms.models import ModelChoiceIterator


class ListedModelChoiceIterator(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        # A clone: the field's own queryset keeps no result cache (as with iterator()).
        for obj in self.queryset.all():
            yield self.choice(obj)
