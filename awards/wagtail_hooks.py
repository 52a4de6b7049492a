from wagtail import hooks

from awards.console.viewsets import ConsoleGroup


@hooks.register("register_admin_viewset")
def register_console():
    return ConsoleGroup()
