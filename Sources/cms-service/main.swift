print("cms")
