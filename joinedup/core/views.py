from django.shortcuts import render


def home(request):  # noqa: ANN001, ANN201
    return render(request, "home.html")


def accessibility(request):  # noqa: ANN001, ANN201
    return render(request, "accessibility.html")


def not_found(request, exception=None):  # noqa: ANN001, ANN201
    return render(request, "404.html", status=404)


def forbidden(request, exception=None):  # noqa: ANN001, ANN201
    return render(request, "403.html", status=403)


def server_error(request):  # noqa: ANN001, ANN201
    return render(request, "500.html", status=500)
