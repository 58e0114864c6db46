package ${{ values.javaPath | replace("/", ".") }};

class ${{ values.name }} {}
